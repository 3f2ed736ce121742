"""One head for every sidebar page: the title, a muted line saying what the page is for, and
a toolbar row, at the same margins and spacing on every page (issue 16, "one look").

Pages used to build their own head (a title label, a muted label, margins of their own:
24/18, 20/14, 32/24 …), so the titles jumped when a secretary went from page to page.
A page now starts its column with :func:`page_column` and adds the rest below it::

    layout, header = page_column(self, _("Members"), _("The Buku Induk Anggota: …"))
    header.add_toolbar(toolbar_row)      # Tambah · Ubah · Hapus · search
    header.row.addWidget(count_label)    # what stands beside the title, at its right

``tests/gui/test_one_look.py`` opens every page of the three sidebars and checks that
each has exactly one :class:`PageHeader`, first in the page, at these margins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kt_desktop.gui.widgets.flow import flush, scrolling_page
from kt_desktop.gui.widgets.labels import muted_label, title_label
from kt_desktop.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

#: left, top, right, bottom of every page's column
PAGE_MARGINS = (24, 18, 24, 12)
#: between the header's rows, and between the header and what follows it
PAGE_SPACING = 8


class PageHeader(QWidget):
    """Title (with what stands at its right in :attr:`row`), subtitle, optional toolbar."""

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = flush(QVBoxLayout(self))
        self.column.setSpacing(PAGE_SPACING)
        #: the title's row: a page adds a count, a period or a picker after the title
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.title = title_label(title)
        self.row.addWidget(self.title)
        self.column.addLayout(self.row)
        self.subtitle = muted_label(subtitle)
        # parented before it is shown or hidden: a label without a parent made visible would
        # open as a window of its own and take the focus from the main window
        self.column.addWidget(self.subtitle)
        self.subtitle.setHidden(not subtitle)

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def set_subtitle(self, text: str) -> None:
        self.subtitle.setText(text)
        self.subtitle.setVisible(bool(text))

    def add_toolbar(self, toolbar: QWidget) -> None:
        """The page's toolbar or filter row (a ``flow_row``), under the subtitle."""
        self.column.addWidget(toolbar)

    def add_count(self) -> QLabel:
        """A muted count at the right end of the title's row (``1.482 desa``)."""
        from kt_desktop.gui.widgets import style

        self.row.addStretch(1)
        label = QLabel()
        label.setStyleSheet(f"color: {style.MUTED};")
        self.row.addWidget(label)
        return label


def page_margins(layout: QVBoxLayout) -> QVBoxLayout:
    """Give a page's column the margins and spacing every page has."""
    layout.setContentsMargins(*PAGE_MARGINS)
    layout.setSpacing(PAGE_SPACING)
    return layout


def page_column(page: QWidget, title: str, subtitle: str = "", *,
                scrolls: bool = False) -> tuple[QVBoxLayout, PageHeader]:
    """``page``'s column with its header first; ``scrolls``: the column scrolls up and down
    when the window is too short for it (150 % scaling, a large font) instead of squeezing
    its notes until their last line is cut."""
    layout = page_margins(scrolling_page(page) if scrolls else QVBoxLayout(page))
    header = PageHeader(title, subtitle)
    layout.addWidget(header)
    return layout, header


def panel_window(dialog: QDialog, title: str, panel: QWidget, size: tuple[int, int]) -> None:
    """``dialog`` shows ``panel`` (a tab of Pengaturan: the backups, the activity log) in a
    window of its own, under its title, with Tutup; ``size`` at most the screen."""
    from PySide6.QtWidgets import QDialogButtonBox

    from kt_desktop.gui.widgets.fit import resize_on_screen

    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    layout.addWidget(title_label(title))
    layout.addWidget(panel, 1)
    buttons = QDialogButtonBox()
    buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    resize_on_screen(dialog, *size)
