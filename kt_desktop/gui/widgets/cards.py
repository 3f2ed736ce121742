"""Beranda's cards (a count with its meaning) and reminder rows."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kt_desktop.gui.widgets import icons, style
from kt_desktop.gui.widgets.labels import ScaledLabel

#: Shown instead of a number when this version does not keep that data yet.
NO_VALUE = "—"


def card_look(frame: QFrame, name: str, radius: int = 8) -> None:
    """The white card with a thin border (Beranda's cards, Kirim Data's boxes, the
    receiver's figures); ``name`` keeps the style to the frame itself, not its children."""
    frame.setObjectName(name)
    frame.setStyleSheet(
        f"QFrame#{name} {{ background: {style.CARD_BG}; border: 1px solid {style.BORDER};"
        f" border-radius: {radius}px; }}"
    )


class CountCard(QFrame):
    """A white card: icon and title on top, the number large beneath, a hint under it."""

    def __init__(self, icon_name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card_look(self, "countCard")
        self.setMinimumWidth(180)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        picture = QLabel()
        picture.setPixmap(icons.pixmap(icon_name, 20, style.ACCENT))
        top.addWidget(picture)
        self.title = QLabel(title)
        self.title.setWordWrap(True)
        self.title.setStyleSheet(f"color: {style.MUTED};")
        top.addWidget(self.title, 1)
        layout.addLayout(top)
        self.value = ScaledLabel(NO_VALUE, factor=2.2, bold=True)
        self.value.setStyleSheet(f"color: {style.TEXT};")
        layout.addWidget(self.value)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {style.MUTED};")
        layout.addWidget(self.hint)
        layout.addStretch(1)

    clicked = Signal()

    def make_link(self, tip: str) -> None:
        """Make the card open something when clicked (or Enter/Space when focused)."""
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip(tip)
        self.setProperty("link", True)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.property("link") and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.property("link") and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter,
                                                     Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)

    def set_value(self, text: str, hint: str = "") -> None:
        self.value.setText(text)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))


class ReminderRow(QFrame):
    """One reminder: a warning (amber) or a piece of information (blue)."""

    def __init__(self, text: str, *, warning: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminder")
        background = style.WARNING_BG if warning else style.INFO_BG
        border = style.WARNING_BORDER if warning else style.ACCENT
        self.setStyleSheet(
            f"QFrame#reminder {{ background: {background}; border-left: 4px solid {border};"
            " border-radius: 4px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        picture = QLabel()
        picture.setPixmap(icons.pixmap("alert-triangle" if warning else "info", 18, style.TEXT))
        picture.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(picture)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
