"""Labels whose size is a factor of the application font, so the font-size setting reaches
titles too (a fixed point size in a style sheet would not follow it)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QWidget

from kt_desktop.gui.widgets.qt_names import set_named


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


class ElidedLabel(QLabel):
    """One line of plain text cut with "…" to the width it is given, whole in its tooltip.

    It elides in its own resize and show events, so the width is the one the layout really
    gave it (a parent eliding for it would use the width of the moment before); hidden, it
    holds the whole text. It asks for no width of its own: a long report or activity title
    never pushes the buttons beside it away. ``middle``: cut in the middle (a path keeps its
    file name), else at the end.

    A text that fits names no elide mode: the status bar's path is one of these labels in
    the program's first paint, which names nothing of Qt's namespace (``widgets.qt_names``).
    """

    def __init__(self, text: str = "", parent: QWidget | None = None, *,
                 middle: bool = False) -> None:
        super().__init__(parent)
        self._full = ""
        self._middle = middle
        set_named(self, "textFormat", "PlainText")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._elide()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._elide()
        return handled

    def _elide(self) -> None:
        shown = self._full
        width = max(self.contentsRect().width(), 40)
        # QFontMetricsF: the width elidedText compares, unrounded
        if self.isVisible() and QFontMetricsF(self.font()).horizontalAdvance(shown) > width:
            from PySide6.QtCore import Qt

            mode = Qt.TextElideMode.ElideMiddle if self._middle else Qt.TextElideMode.ElideRight
            shown = self.fontMetrics().elidedText(shown, mode, width)
        if shown != self.text():
            self.setText(shown)
