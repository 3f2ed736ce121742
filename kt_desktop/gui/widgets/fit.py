"""Does every piece of text on a window show whole? The check behind the small-screen test.

Secretaries use 1024x600 netbooks and the largest font Pengaturan offers; a layout that only
works at 1366x768 cuts buttons ("Semua je"), hides Simpan below the screen or makes a page
scroll sideways. :func:`misfits` walks a shown window and names every such place in a
sentence a developer can act on, so ``tests/gui/test_fits_small_screens.py`` and
``scripts/render_screens.py`` (which prints them beside its pictures) agree on what
"does not fit" means.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionHeader,
    QTabBar,
    QToolButton,
    QWidget,
)

from kt_desktop.gui.widgets.elided_combo import ElidedCombo

#: Pixels of rounding a text may lack before it is called cut (anti-aliasing, kerning).
SLACK = 2


def _plain(text: str) -> str:
    """The text as drawn: the mnemonic marker ``&`` is not painted (``&&`` is one ``&``)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, (QAbstractButton, QLabel)):
        text = _plain(widget.text())
    elif isinstance(widget, QComboBox):
        text = widget.currentText()
    kind = type(widget).__name__
    return f"{kind} {text[:40]!r}" if text else kind


def _shown(widget: QWidget, root: QWidget) -> bool:
    """Visible and not scrolled out of sight inside a scroll area (it can be scrolled to)."""
    return widget.isVisibleTo(root) and widget.isVisible()


def _button_misfit(button: QAbstractButton) -> str | None:
    text = _plain(button.text())
    if not text:
        return None
    if isinstance(button, (QPushButton, QToolButton, QCheckBox, QRadioButton)):
        if isinstance(button, QToolButton) and button.toolButtonStyle().name == "ToolButtonIconOnly":
            return None
        need = button.sizeHint().width()
        if button.width() + SLACK < need:
            return f"{_name(button)} is {button.width()} px wide, its text needs {need} px"
    return None


def _label_misfit(label: QLabel) -> str | None:
    if label.wordWrap() or not label.text() or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    if label.textFormat().name == "RichText" or "<" in label.text() and ">" in label.text():
        need = label.sizeHint().width()
    else:
        lines = _plain(label.text()).split("\n") if label.text() else [""]
        metrics = label.fontMetrics()
        margins = label.contentsMargins()
        need = (
            max(metrics.horizontalAdvance(line) for line in lines)
            + margins.left() + margins.right() + 2 * label.margin() + 2 * label.frameWidth()
        )
    if label.width() + SLACK < need:
        return f"{_name(label)} is {label.width()} px wide, its text needs {need} px"
    return None


def _combo_misfit(combo: QComboBox) -> str | None:
    text = combo.currentText()
    if not text or combo.isEditable() or isinstance(combo, ElidedCombo):
        return None  # an ElidedCombo draws "…" and has the whole text in its tooltip
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    need = combo.fontMetrics().horizontalAdvance(text)
    if not combo.itemIcon(combo.currentIndex()).isNull():
        need += combo.iconSize().width() + 4
    if field.width() + SLACK < need:
        return f"{_name(combo)} shows {field.width()} px of a text {need} px wide"
    return None


def placeholder_width(field: QLineEdit) -> int:
    """The width an empty ``field`` needs to show its placeholder whole (a search box that
    names its Ctrl+F), with its icons (the magnifier) and frame."""
    margins = field.textMargins()
    icons = sum(22 for action in field.actions() if not action.icon().isNull())
    return (field.fontMetrics().horizontalAdvance(field.placeholderText())
            + margins.left() + margins.right() + icons + 14)


def _placeholder_misfit(field: QLineEdit) -> str | None:
    """A search box (a line edit with the magnifier) whose placeholder is cut: it names
    what can be searched and the Ctrl+F that finds it. A form field's example ("mis. …")
    may be cut; it is not checked."""
    if field.text() or not field.placeholderText() or not field.actions():
        return None
    need = placeholder_width(field)
    if field.width() + SLACK < need:
        return (f"QLineEdit {field.placeholderText()[:40]!r} is {field.width()} px wide,"
                f" its placeholder needs {need} px")
    return None


def header_need(header: QHeaderView, section: int, *, arrow: bool | None = None) -> int:
    """The width ``section``'s title needs, as the style draws it (margins, and the sort
    arrow where it shows; ``arrow=True``: as if sorted by it, a column a click may sort)."""
    model = header.model()
    title = str(model.headerData(section, header.orientation()) or "") if model else ""
    if not title:
        return 0
    option = QStyleOptionHeader()
    option.initFrom(header)
    option.section = section
    option.text = title
    option.fontMetrics = header.fontMetrics()
    option.orientation = header.orientation()
    if arrow is None:
        arrow = header.isSortIndicatorShown() and header.sortIndicatorSection() == section
    if arrow:
        option.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
    return header.style().sizeFromContents(
        QStyle.ContentsType.CT_HeaderSection, option, QSize(), header
    ).width()


def _header_misfits(header: QHeaderView) -> list[str]:
    """Column titles cut by their section."""
    if header.orientation() != Qt.Orientation.Horizontal or not header.isVisible():
        return []
    model = header.model()
    if model is None:
        return []
    found = []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        need = header_need(header, section)
        if header.sectionSize(section) + SLACK < need:
            title = str(model.headerData(section, header.orientation()) or "")
            found.append(
                f"column {title!r} is {header.sectionSize(section)} px wide, needs {need} px"
            )
    return found


def _height_misfit(widget: QWidget) -> str | None:
    """A control squeezed below its height (a page taller than the screen is laid out in
    less room than it needs: text cut at the bottom, widgets drawn over each other)."""
    if isinstance(widget, QLabel):
        if not widget.text() or (widget.pixmap() is not None and not widget.pixmap().isNull()):
            return None
        need = (widget.heightForWidth(widget.width()) if widget.wordWrap()
                else widget.minimumSizeHint().height())
    elif isinstance(widget, (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox)):
        if isinstance(widget.parentWidget(), (QTabBar, QLineEdit, QComboBox, QAbstractSpinBox)):
            return None  # a part of another control (its editor, its clear button)
        need = widget.minimumSizeHint().height()
    else:
        return None
    if need > 0 and widget.height() + SLACK < need:
        return f"{_name(widget)} is {widget.height()} px high, its text needs {need} px"
    return None


def _scrolls_sideways(area: QAbstractScrollArea) -> bool:
    if isinstance(area, QAbstractItemView):
        return False  # a wide table scrolls its own columns; its key columns are sized apart
    bar = area.horizontalScrollBar()
    return bar.maximum() > 0 and bar.isVisible()


def misfits(root: QWidget, screen: tuple[int, int] | None = None) -> list[str]:
    """Every place on ``root`` (a shown window or dialog) where text does not show whole.

    ``screen``: the available width and height; a window larger than it is named too
    (its minimum size forced it past the screen, so part of it lies off screen).
    """
    found: list[str] = []
    if screen is not None and (root.width() > screen[0] or root.height() > screen[1]):
        found.append(
            f"{type(root).__name__} is {root.width()}x{root.height()}, larger than the"
            f" screen {screen[0]}x{screen[1]}"
        )
    for widget in root.findChildren(QWidget):
        if not _shown(widget, root):
            continue
        problem: str | None = None
        if isinstance(widget, QTabBar):
            continue  # a tab bar scrolls its tabs with arrows; each tab's text is whole
        if isinstance(widget, QAbstractButton):
            if isinstance(widget.parentWidget(), QTabBar):
                continue
            problem = _button_misfit(widget)
        elif isinstance(widget, QLabel):
            problem = _label_misfit(widget)
        elif isinstance(widget, QComboBox):
            problem = _combo_misfit(widget)
        elif isinstance(widget, QLineEdit):
            problem = _placeholder_misfit(widget)
        elif isinstance(widget, QHeaderView):
            found += [f"{_where(widget, root)}: {text}" for text in _header_misfits(widget)]
        elif isinstance(widget, QAbstractScrollArea) and _scrolls_sideways(widget):
            problem = (
                f"{type(widget).__name__} scrolls sideways"
                f" ({widget.horizontalScrollBar().maximum()} px hidden)"
            )
        if problem is None:
            problem = _height_misfit(widget)
        if problem:
            found.append(f"{_where(widget, root)}: {problem}")
    return found


def _where(widget: QWidget, root: QWidget) -> str:
    """The chain of named or typed parents up to ``root``, to find the widget in the code."""
    parts = []
    current: QWidget | None = widget.parentWidget()
    while current is not None and current is not root:
        name = current.objectName()
        if name and not name.startswith("qt_"):
            parts.append(name)
        elif type(current).__module__.startswith("kt_desktop"):
            parts.append(type(current).__name__)
        current = current.parentWidget()
    return " / ".join([type(root).__name__, *reversed(parts[:3])])


def available_size(widget: QWidget) -> QSize:
    """The room the screen under ``widget`` leaves a window (without the taskbar)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else QSize(1024, 600)


def resize_on_screen(window: QWidget, width: int, height: int) -> None:
    """``window.resize(width, height)``, but never past the screen's free room.

    Forms ask for a comfortable size (the member form 1040x680); on a 1024x600 netbook that
    put Simpan and Batal below the screen's edge. Called where a dialog sets its size, so
    no event filter runs on every event of the program; the contents scroll inside instead.
    """
    room = available_size(window)
    # The title bar and borders the window manager adds (not known before the first show).
    frame_w, frame_h = 16, 40
    window.resize(
        max(window.minimumWidth(), min(width, room.width() - frame_w)),
        max(window.minimumHeight(), min(height, room.height() - frame_h)),
    )
