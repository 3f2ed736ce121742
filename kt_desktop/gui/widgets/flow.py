"""A row of buttons or filters that wraps onto a second line when the window is narrow.

Toolbars and filter rows were ``QHBoxLayout`` rows: on a 1024x600 netbook, or with the
largest font, a box layout squeezes every button below its text ("Semua je", "Tambah" cut at
both ends). A :class:`FlowLayout` keeps each widget at its size hint and starts a new line
instead; :func:`flow_row` wraps one in a widget so a page's ``QVBoxLayout`` gives it the
height its lines need (height-for-width).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

Box = TypeVar("Box", QHBoxLayout, QVBoxLayout)


def flush(layout: Box, spacing: int | None = None) -> Box:
    """``layout`` without margins: a widget's content edge to edge, inside a layout that has
    its own margins already; ``spacing`` between its items when given."""
    layout.setContentsMargins(0, 0, 0, 0)
    if spacing is not None:
        layout.setSpacing(spacing)
    return layout


if TYPE_CHECKING:
    # Loaded where they are used: Beranda's first paint has none of them (issue 16), and
    # naming Qt's namespace has PySide build it whole (~120 million instructions).
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox, QFormLayout


class FlowLayout(QLayout):
    """Items left to right at their size hints, wrapping to a new line when the next does not
    fit. A spacer (``addStretch``) is skipped: a wrapped row has no "right end" to push to.
    An item whose size policy can grow (a search box) takes what is left of its line."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)

    # -- QLayout's interface ------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addStretch(self, _stretch: int = 0) -> None:
        """Accepted so a row can switch from ``QHBoxLayout`` unchanged; a flow has no end."""

    def addSpacing(self, _size: int) -> None:
        """Accepted for the same reason; the layout's spacing separates the items."""

    def addLayout(self, layout: QLayout) -> None:
        """A sub-row (a label with its combo) stays together on one line."""
        holder = QWidget()
        holder.setLayout(layout)
        layout.setContentsMargins(0, 0, 0, 0)
        self.addWidget(holder)

    def addWidget(self, widget: QWidget, _stretch: int = 0,
                  _alignment: Qt.AlignmentFlag | None = None) -> None:
        super().addWidget(widget)  # Qt makes (and owns) the item, then calls addItem

    def insertWidget(self, index: int, widget: QWidget) -> None:
        """``widget`` placed at ``index`` among the items (before the ones from there on)."""
        self.addWidget(widget)
        self._items.insert(index, self._items.pop())
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return _neither()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """All on one line: what the row would like."""
        width = height = 0
        for item in self._visible():
            hint = item.sizeHint()
            width += hint.width() + (self.spacing() if width else 0)
            height = max(height, hint.height())
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right(),
                     height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:
        """The widest single item: anything narrower wraps."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    # -- the arrangement ------------------------------------------------------------------------
    def _visible(self) -> list[QLayoutItem]:
        return [
            item for item in self._items
            if not item.isEmpty() and item.spacerItem() is None
        ]

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        gap = self.spacing()
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            width = min(item.sizeHint().width(), area.width())
            if lines[-1] and used + gap + width > area.width():
                lines.append([])
                used = 0
            used += (gap if lines[-1] else 0) + width
            lines[-1].append(item)
        if not lines[-1]:
            return 0  # nothing to show: the row takes no room
        y = area.y()
        for line in lines:
            if not line:
                continue
            height = max(item.sizeHint().height() for item in line)
            widths = [min(item.sizeHint().width(), area.width()) for item in line]
            spare = area.width() - sum(widths) - gap * (len(line) - 1)
            growing = [
                index for index, item in enumerate(line)
                if item.widget() is not None
                and item.widget().sizePolicy().horizontalPolicy().value
                & QSizePolicy.PolicyFlag.ExpandFlag.value
            ]
            if growing and spare > 0:
                for index in growing:
                    widths[index] += spare // len(growing)
            x = area.x()
            if move:
                for item, width in zip(line, widths, strict=True):
                    item.setGeometry(QRect(QPoint(x, y), QSize(width, height)))
                    x += width + gap
            y += height + gap
        return y - gap - rect.y() + margins.bottom()


@cache
def _neither() -> Qt.Orientation:
    """No direction (Qt asks a layout often: named once, and not at import, issue 16)."""
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal & Qt.Orientation.Vertical


def flow_row(layout: FlowLayout | None = None) -> tuple[QWidget, FlowLayout]:
    """A widget holding a :class:`FlowLayout`, for a page's ``QVBoxLayout``."""
    holder = QWidget()
    layout = layout or FlowLayout()
    holder.setLayout(layout)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    holder.setSizePolicy(policy)
    return holder, layout


def fit_combos(*combos: QComboBox) -> None:
    """Filter combos in a flow row ask for the width of their longest entry: the row wraps
    instead of cutting "Semua jabatan" to "Semua jab". A long entry (a campaign's name) is
    cut in the list's closed state rather than making the combo a line of its own."""
    from PySide6.QtWidgets import QComboBox

    for combo in combos:
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        metrics = combo.fontMetrics()
        combo.setMaximumWidth(max(metrics.horizontalAdvance(combo.itemText(0)) + 48,
                                  metrics.averageCharWidth() * 22))


class ReflowGrid(QWidget):
    """Cards side by side while they fit, in fewer columns (down to one) when they do not.

    Kirim Data's three cards stood in a three-column grid: at 1024x600 with a large font the
    page scrolled sideways and cut the Kunci card and its button. Here the number of columns
    follows the width; each card keeps at least the width its widest unbreakable line needs.
    """

    def __init__(self, widgets: list[QWidget], spacing: int = 12,
                 parent: QWidget | None = None, *, min_chars: int = 0,
                 max_columns: int = 0) -> None:
        super().__init__(parent)
        self._widgets = list(widgets)
        self._max_columns = max_columns or len(self._widgets)
        #: A column narrower than this many average characters is not worth having.
        self._min_chars = min_chars
        # The grid sits on an inner widget: a layout of this widget's own would answer the
        # parent's questions (height for width, minimum) with all columns' figures, and
        # force them on the page. This widget answers, and re-flows in its resize event.
        self._inner = QWidget(self)
        self._grid = QGridLayout(self._inner)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(spacing)
        self._grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        # A card that grows (a longer text) asks its layout again: pass that on upwards.
        self._inner.installEventFilter(self)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._columns = 0
        self._place(len(self._widgets))

    def columns(self) -> int:
        return self._columns

    def add_widget(self, widget: QWidget) -> None:
        """One more card (Beranda makes its cards when the figures arrive)."""
        self._widgets.append(widget)
        self._columns = 0  # place them all again
        self._place(self._columns_for(self.width() if self.width() > 0 else 10_000))

    def _card_width(self) -> int:
        widest = max((max(w.minimumSizeHint().width(), w.minimumWidth())
                      for w in self._widgets), default=0)
        return max(widest, self.fontMetrics().averageCharWidth() * self._min_chars)

    def _columns_for(self, width: int) -> int:
        gap = self._grid.spacing()
        fitting = (width + gap) // max(1, self._card_width() + gap)
        return max(1, min(len(self._widgets), self._max_columns, fitting))

    def _place(self, columns: int) -> None:
        if columns == self._columns or not self._widgets:
            return
        for widget in self._widgets:
            self._grid.removeWidget(widget)
        for column in range(max(self._columns, columns)):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
        for index, widget in enumerate(self._widgets):
            self._grid.addWidget(widget, index // columns, index % columns)
        self._columns = columns
        self.updateGeometry()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._inner and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place(self._columns_for(event.size().width()))
        self._inner.setGeometry(self.rect())
        super().resizeEvent(event)

    def minimumSizeHint(self) -> QSize:
        # The height comes from heightForWidth; a minimum of all cards stacked would make a
        # scroll area think the page is taller than it is at every width.
        return QSize(self._card_width(),
                     max((w.minimumSizeHint().height() for w in self._widgets), default=0))

    def sizeHint(self) -> QSize:
        width = sum(w.sizeHint().width() for w in self._widgets)
        width += self._grid.spacing() * (len(self._widgets) - 1)
        return QSize(width, max((w.sizeHint().height() for w in self._widgets), default=0))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        columns = self._columns_for(width)
        gap = self._grid.spacing()
        cell = max(1, (width - gap * (columns - 1)) // columns)
        height = 0
        for start in range(0, len(self._widgets), columns):
            row = self._widgets[start:start + columns]
            height += max(
                w.heightForWidth(cell) if w.hasHeightForWidth() else w.sizeHint().height()
                for w in row
            ) + (gap if start else 0)
        return height


def side_panel(panel: QWidget, width: int) -> QScrollArea:
    """``panel`` (a report's choices beside its preview) at ``width`` px, or wider where a
    larger font needs it, scrolling up and down inside when the screen is not tall enough:
    squeezed into 530 px its fields were drawn over each other."""
    from PySide6.QtCore import Qt

    width = max(width, panel.minimumSizeHint().width())
    scroll = QScrollArea()
    scroll.setWidget(panel)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFixedWidth(width + scroll.verticalScrollBar().sizeHint().width())
    panel.setAutoFillBackground(False)
    scroll.viewport().setAutoFillBackground(False)
    return scroll


def scrolling_page(page: QWidget) -> QVBoxLayout:
    """The layout for ``page``'s contents, inside a frameless scroll area: on a screen too
    short for them (600 px, a large font) the page scrolls up and down instead of squeezing
    its combos and notes until their text is cut."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    outer.addWidget(scroll)
    content = QWidget()
    scroll.setWidget(content)
    return QVBoxLayout(content)


def growing_form() -> QFormLayout:
    """A form whose fields take the width they are given (Qt's default on some styles keeps
    them at their size hint, so a long village name was cut in a wide window)."""
    from PySide6.QtWidgets import QFormLayout

    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form
