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


#: Pengaturan and Bantuan close every sidebar, village, receiver and national alike.
LAST_PAGES: tuple[PageSpec, ...] = (
    PageSpec("pengaturan", N_("Settings"), "settings", "kt_desktop.gui.pages.settings:SettingsPage"),
    PageSpec("bantuan", N_("Help"), "help-circle", "kt_desktop.gui.pages.help:HelpPage"),
)
#: Impor: a receiver imports the villages' bundles, a national file the provinces' aggregates.
IMPORT_PAGE = PageSpec(
    "impor", N_("Import"), "download", "kt_desktop.gui.pages.receiver_import:ReceiverImportPage"
)

VILLAGE_PAGES: list[PageSpec] = [
    PageSpec("beranda", N_("Home"), "home", "kt_desktop.gui.pages.home:HomePage"),
    PageSpec("anggota", N_("Members"), "users", "kt_desktop.gui.pages.members:MembersPage"),
    PageSpec("kegiatan", N_("Activities"), "calendar", "kt_desktop.gui.pages.activities:ActivitiesPage"),
    PageSpec("pelatihan", N_("Trainings"), "tool", "kt_desktop.gui.pages.trainings:TrainingsPage"),
    # the administration books, in the order a secretary uses them: weekly, then money,
    # then the yearly ones, and how complete they all are
    PageSpec("rapat", N_("Meetings"), "message-square", "kt_desktop.gui.pages.rapat:MeetingsPage"),
    PageSpec("surat-masuk", N_("Incoming Letters"), "inbox",
             "kt_desktop.gui.pages.book:surat-masuk"),
    PageSpec("surat-keluar", N_("Outgoing Letters"), "mail",
             "kt_desktop.gui.pages.rapat:OutgoingLettersPage"),
    PageSpec("kas", N_("Cash Book"), "dollar-sign", "kt_desktop.gui.pages.book:kas"),
    PageSpec("iuran", N_("Members' Dues"), "credit-card", "kt_desktop.gui.pages.dues:DuesPage"),
    PageSpec("program-kerja", N_("Work Programme"), "clipboard",
             "kt_desktop.gui.pages.program_kerja:ProgramKerjaPage"),
    PageSpec("pengurus", N_("Officers"), "award", "kt_desktop.gui.pages.book:pengurus"),
    PageSpec("inventaris", N_("Inventory"), "archive", "kt_desktop.gui.pages.book:inventaris"),
    PageSpec("tamu", N_("Guest Book"), "user-check", "kt_desktop.gui.pages.book:tamu"),
    PageSpec("kelengkapan", N_("Completeness"), "check-circle",
             "kt_desktop.gui.pages.completeness:CompletenessPage"),
    PageSpec("laporan", N_("Reports"), "file-text", "kt_desktop.gui.pages.reports:ReportsPage"),
    PageSpec("kirim", N_("Send Data"), "send", "kt_desktop.gui.pages.send_data:SendDataPage"),
    *LAST_PAGES,
]

RECEIVER_PAGES: list[PageSpec] = [
    PageSpec(
        "rekap", N_("Summary"), "bar-chart",
        "kt_desktop.gui.pages.receiver_summary:ReceiverSummaryPage",
    ),
    PageSpec(
        "desa", N_("Villages"), "map",
        "kt_desktop.gui.pages.receiver_villages:ReceiverVillagesPage",
    ),
    PageSpec(
        "data", N_("Data"), "database", "kt_desktop.gui.pages.receiver_data:ReceiverDataPage"
    ),
    PageSpec(
        "peringkat", N_("Ranking"), "award",
        "kt_desktop.gui.pages.receiver_ranking:ReceiverRankingPage",
    ),
    PageSpec(
        "duplikat", N_("Duplicates"), "copy",
        "kt_desktop.gui.pages.receiver_duplicates:ReceiverDuplicatesPage",
    ),
    PageSpec(
        "konflik", N_("Conflicts"), "alert-triangle",
        "kt_desktop.gui.pages.receiver_conflicts:ReceiverConflictsPage",
    ),
    IMPORT_PAGE,
    PageSpec(
        "laporan", N_("Reports"), "file-text",
        "kt_desktop.gui.pages.receiver_reports:ReceiverReportsPage",
    ),
    *LAST_PAGES,
]

#: A national file (code "00"): the provinces' aggregates only (docs/NATIONAL.md).
NATIONAL_PAGES: list[PageSpec] = [
    PageSpec(
        "rekap", N_("Summary"), "bar-chart",
        "kt_desktop.gui.pages.national_summary:NationalSummaryPage",
    ),
    IMPORT_PAGE,
    *LAST_PAGES,
]
