"""Stand in for the secretary at a message box: note what it asks, press a button by its label.

The boxes of :mod:`kt_desktop.gui.widgets.confirm` run their own ``exec()``; patching
``QMessageBox.exec`` lets a test read the question and the button labels (which must be
Indonesian: Qt has no Indonesian catalog, so a standard "&Yes" would show in English) and
answer as a user would, by the words on a button.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QMessageBox

ENGLISH_BUTTONS = {"Yes", "No", "OK", "Cancel", "Discard", "Save", "Close"}


@dataclass
class Answers:
    #: The label (without "&") of the button to press; "" presses the Esc button.
    press: str = ""
    asked: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    buttons: list[list[str]] = field(default_factory=list)

    def english_buttons(self) -> list[str]:
        return [label for labels in self.buttons for label in labels if label in ENGLISH_BUTTONS]


def answer_boxes(monkeypatch: pytest.MonkeyPatch, press: str = "") -> Answers:
    answers = Answers(press)

    def exec_box(box: QMessageBox) -> int:
        answers.asked.append(box.text())
        answers.titles.append(box.windowTitle())
        labels = [button.text().replace("&", "") for button in box.buttons()]
        answers.buttons.append(labels)
        chosen = next((b for b in box.buttons() if b.text().replace("&", "") == answers.press),
                      None)
        if chosen is None:
            chosen = box.escapeButton()
        if chosen is not None:
            chosen.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    return answers
