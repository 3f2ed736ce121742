"""The sidebar's pages, per kind of data file.

Each area adds its page here as ``"module:Class"``; the class is imported only when the
page is first shown, so start-up pays for Beranda alone. A page is constructed as
``Class(ops, parent)`` (``ops``: :class:`kt_desktop.gui.ops.Ops`) and may define
``refresh()`` (called when it is shown again) and ``shortcuts_hint() -> str``.
A spec without a factory shows a plain "not available yet" page.
"""

from __future__ import annotations

from dataclasses import dataclass

from kt_desktop.i18n import N_


@dataclass(frozen=True, slots=True)
class PageSpec:
    key: str
    title: str  # English msgid, translated when shown
    icon: str  # file name in resources/icons without .svg
    factory: str | None  # "module:Class"


VILLAGE_PAGES: list[PageSpec] = [
    PageSpec("beranda", N_("Home"), "home", "kt_desktop.gui.pages.home:HomePage"),
    PageSpec("anggota", N_("Members"), "users", None),
    PageSpec("kegiatan", N_("Activities"), "calendar", None),
    PageSpec("pelatihan", N_("Trainings"), "tool", None),
    PageSpec("laporan", N_("Reports"), "file-text", None),
    PageSpec("kirim", N_("Send Data"), "send", None),
    PageSpec("pengaturan", N_("Settings"), "settings", "kt_desktop.gui.pages.settings:SettingsPage"),
]

RECEIVER_PAGES: list[PageSpec] = [
    PageSpec("rekap", N_("Summary"), "bar-chart", "kt_desktop.gui.pages.home:HomePage"),
    PageSpec("desa", N_("Villages"), "map", None),
    PageSpec("data", N_("Data"), "database", None),
    PageSpec("duplikat", N_("Duplicates"), "copy", None),
    PageSpec("konflik", N_("Conflicts"), "alert-triangle", None),
    PageSpec("impor", N_("Import"), "download", None),
    PageSpec("laporan", N_("Reports"), "file-text", None),
    PageSpec("pengaturan", N_("Settings"), "settings", "kt_desktop.gui.pages.settings:SettingsPage"),
]
