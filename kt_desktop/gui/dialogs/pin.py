"""The PIN: asked when the program opens (:func:`ask_pin`), set or removed in Pengaturan.

Checking a PIN writes the count of wrong tries to the file, so it runs on the writer
thread; while too many wrong tries make the program wait, the button stays disabled and
the dialog says how long.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRegularExpression, Qt, QTimer
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain.errors import KtError, ValidationError
from kt_desktop.gui.ops import Ops, show_failure
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.labels import muted_label, title_label
from kt_desktop.i18n import _
from kt_desktop.services import pin
from kt_desktop.services.session import Session


def _pin_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(pin.MAX_LENGTH)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d*")))
    field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    return field


def _error_label() -> QLabel:
    label = QLabel("")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {style.ERROR};")
    return label


class PinPrompt(QDialog):
    """"Masukkan PIN" at start; accepted only after the right PIN."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle(_("KT Desktop: PIN"))
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(_("Enter the PIN")))
        intro = QLabel(
            _("This data file is protected with a PIN.\n{path}").format(path=ops.session.path)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.field = _pin_field()
        self.field.returnPressed.connect(self.submit)
        form = QFormLayout()
        form.addRow(_("&PIN"), self.field)
        layout.addLayout(form)
        self.message = _error_label()
        layout.addWidget(self.message)
        layout.addWidget(
            muted_label(
                _("Forgot the PIN? The command 'kt-desktop pin-reset' removes it (see the README).")
            )
        )
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton(_("&Open"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("E&xit"), QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self._checking = False
        self._wait = QTimer(self)
        self._wait.setSingleShot(True)
        self._wait.timeout.connect(self._wait_over)

    def submit(self) -> None:
        if self._checking or not self.open_button.isEnabled():
            return
        entered = self.field.text()
        self._checking = True
        self.open_button.setEnabled(False)
        self.ops.write(
            lambda session: pin.verify(session, entered), self._checked,
            on_failed=self._failed, parent=self,
        )

    def _checked(self, ok: bool) -> None:
        self._checking = False
        if ok:
            self.accept()
            return
        self.field.clear()
        self.field.setFocus()
        self.open_button.setEnabled(True)
        self.message.setText(_("Wrong PIN."))

    def _failed(self, exc: BaseException) -> None:
        self._checking = False
        self.field.clear()
        if isinstance(exc, pin.PinLocked):
            self.message.setText(exc.message)
            self._wait.start(exc.seconds * 1000)
            return
        self.open_button.setEnabled(True)
        show_failure(self, exc)

    def _wait_over(self) -> None:
        self.message.setText(_("You can try again now."))
        self.open_button.setEnabled(True)
        self.field.setFocus()

    def done(self, result: int) -> None:
        self._wait.stop()
        self.ops.wait_idle()
        super().done(result)


def ask_pin(ops: Ops, parent: QWidget | None = None) -> bool:
    """True when the file has no PIN or the right one was entered; False to quit."""
    if not pin.is_set(ops.session):  # one settings row: fast enough for the GUI thread
        return True
    prompt = PinPrompt(ops, parent)
    accepted = prompt.exec() == QDialog.DialogCode.Accepted
    prompt.deleteLater()
    return accepted


class PinSettingsDialog(QDialog):
    """Set, change or remove the PIN; says plainly what a PIN does and does not protect."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.has_pin = pin.is_set(ops.session)
        self.setWindowTitle(_("PIN to open the program"))
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(_("PIN to open the program")))
        explain = QLabel(
            _(
                "A PIN stops someone else at this laptop from opening KT Desktop and reading or "
                "changing the books. It does not encrypt the data file: anyone who copies the "
                "file can still read it. Keep the laptop's own password too."
            )
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        form = QFormLayout()
        self.current = _pin_field()
        self.new = _pin_field()
        self.repeat = _pin_field()
        if self.has_pin:
            form.addRow(_("&Current PIN"), self.current)
        form.addRow(_("&New PIN (4–12 digits)"), self.new)
        form.addRow(_("&Repeat the new PIN"), self.repeat)
        layout.addLayout(form)
        self.message = _error_label()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_("&Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.remove_button = buttons.addButton(
            _("&Remove PIN"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.remove_button.setVisible(self.has_pin)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.remove_button.clicked.connect(self.remove)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def _fields(self) -> dict[str, QLineEdit]:
        return {"current_pin": self.current, "pin": self.new}

    def save(self) -> None:
        new, repeat, current = self.new.text(), self.repeat.text(), self.current.text()
        if new != repeat:
            self.message.setText(_("The two new PINs differ."))
            self.repeat.setFocus()
            return
        self._run(lambda session: pin.set_pin(session, new, current=current or None))

    def remove(self) -> None:
        current = self.current.text()
        self._run(lambda session: pin.remove_pin(session, current))

    def _run(self, fn: Callable[[Session], None]) -> None:
        self.save_button.setEnabled(False)
        self.remove_button.setEnabled(False)
        self.ops.write(fn, self._done, on_failed=self._failed, parent=self)

    def _done(self, _result: object) -> None:
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.remove_button.setEnabled(True)
        if isinstance(exc, KtError):
            self.message.setText(exc.message)
            field = self._fields().get(exc.field) if isinstance(exc, ValidationError) and exc.field else None
            if field is not None:
                field.selectAll()
                field.setFocus()
            return
        show_failure(self, exc)

    def done(self, result: int) -> None:
        self.ops.wait_idle()
        super().done(result)
