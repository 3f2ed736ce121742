"""A combo box that shows a long choice cut with "…" (whole in its tooltip), never clipped.

Fusion draws a combo's current text clipped at the arrow: a training "25/11/2026 —
Kewirausahaan Digital UMKM" read "25/11/2026 — Kewirausahaan Digital U" in a report form
360 px wide, and a filter read "Semua je". This one elides the text it draws; the data and
``currentText()`` stay whole (a report's title is taken from it).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)


class ElidedCombo(QComboBox):
    """A :class:`QComboBox` whose closed state elides the current text to fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The tooltip the code gave, shown again when the text is no longer cut.
        self._own_tip: str | None = None
        self.currentTextChanged.connect(self._tip)

    def _tip(self, text: str) -> None:
        if self.isEditable():
            return
        if self.elided():
            if self._own_tip is None:
                self._own_tip = self.toolTip()
            self.setToolTip(text)
        elif self._own_tip is not None:
            self.setToolTip(self._own_tip)
            self._own_tip = None

    def elided(self) -> bool:
        """True when the current text is drawn cut (the whole of it is in the tooltip)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self._shown(option) != option.currentText

    def _shown(self, option: QStyleOptionComboBox) -> str:
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )
        width = field.width()
        if not option.currentIcon.isNull():
            width -= option.iconSize.width() + 4
        return self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, max(width, 0)
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.isEditable():
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        if self.currentIndex() < 0 and self.placeholderText():
            # What QComboBox itself paints while nothing is chosen ("Pilih kategori…").
            option.palette.setBrush(QPalette.ColorRole.ButtonText,
                                    option.palette.placeholderText())
            option.currentText = self.placeholderText()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self._shown(option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._tip(self.currentText())
