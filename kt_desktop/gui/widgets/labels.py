"""Labels whose size is a factor of the application font, so the font-size setting reaches
titles too (a fixed point size in a style sheet would not follow it)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QWidget


class ScaledLabel(QLabel):
    """A QLabel drawn at ``factor`` times the application font, optionally bold."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        factor: float = 1.0,
        bold: bool = False,
    ) -> None:
        super().__init__(text, parent)
        self._factor = factor
        self._bold = bold
        self._apply()

    def _apply(self) -> None:
        font = QFont(QApplication.font())
        font.setPointSizeF(max(1.0, font.pointSizeF() * self._factor))
        font.setBold(self._bold)
        self.setFont(font)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationFontChange:
            self._apply()
        return super().event(event)


def title_label(text: str = "", parent: QWidget | None = None) -> ScaledLabel:
    """A page's heading."""
    label = ScaledLabel(text, parent, factor=1.6, bold=True)
    label.setWordWrap(True)
    return label


def muted_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """Secondary text (explanations under a heading)."""
    from kt_desktop.gui.widgets import style

    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {style.MUTED};")
    return label
