"""``kt-desktop --self-test``: prove on this machine that the program's parts are all there.

Runs in a temporary folder (never touching the user's data): sets up a village file, fills
demo data, renders the main window offscreen, writes a monthly report and a bundle, verifies
the bundle by importing it into a receiver file, and prints each step. Exit 0 when all steps
passed, 1 naming the step that failed. Run it on a frozen build to catch a missing resource
(font, region data, catalog, icon, Qt plugin) before a secretary does.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kt_desktop import __version__, paths
from kt_desktop.domain import clock
from kt_desktop.i18n import _


class _Steps:
    def __init__(self) -> None:
        self.failed: str | None = None

    def run(self, name: str, action: Callable[[], str | None]) -> Any:
        if self.failed:
            return None
        started = time.perf_counter()
        try:
            detail = action()
        except Exception as exc:
            self.failed = name
            print(_("FAILED {step}: {error}").format(step=name, error=exc), flush=True)
            traceback.print_exc(file=sys.stderr)
            return None
        ms = (time.perf_counter() - started) * 1000
        print(f"ok     {name} ({ms:.0f} ms){': ' + detail if detail else ''}", flush=True)
        return detail


def run() -> int:
    """The self-test; returns the exit code."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kt_desktop import i18n

    i18n.set_language("id")  # the self-test speaks the program's first language
    print(_("KT Desktop {version} self-test (resources: {folder})").format(
        version=__version__, folder=paths.resources_dir()), flush=True)
    with tempfile.TemporaryDirectory(prefix="kt-selftest-") as folder:
        root = Path(folder)
        os.environ[paths.HOME_ENV] = str(root / "home")
        steps = _Steps()
        state: dict[str, Any] = {}
        _run_steps(steps, root, state)
        for session in state.get("sessions", []):
            session.close()
    if steps.failed:
        print(_("SELF-TEST FAILED at: {step}").format(step=steps.failed), flush=True)
        return 1
    print(_("SELF-TEST PASSED"), flush=True)
    return 0


def _run_steps(steps: _Steps, root: Path, state: dict[str, Any]) -> None:
    from kt_desktop import i18n, regions

    def resources() -> str:
        missing = [
            part
            for part in (
                ("regions", "regions.tsv.gz"),
                ("fonts", "DejaVuSans.ttf"),
                ("locale", "id", "core.po"),
                ("icons", "app.svg"),
                ("ppks", "kategori.json"),
            )
            if not paths.resource(*part).exists()
        ]
        if missing:
            raise RuntimeError(f"missing resources: {missing}")
        if i18n._("Members") != "Anggota":
            raise RuntimeError("Indonesian catalog not loaded")
        village = regions.get("36.04.22.2001")
        if village is None:
            raise RuntimeError("region data unreadable")
        return regions.full_name(village.code)

    steps.run(_("resources (region data, fonts, catalogs, icons)"), resources)

    def setup() -> str:
        from kt_desktop.domain.profile import Profile
        from kt_desktop.services.setup import init_receiver, init_village

        init_village(
            root / "desa.sqlite",
            Profile(
                name="Karang Taruna Uji Mandiri",
                short_name="KT-UM",
                village_code="36.04.22.2001",
                ketua="Ketua Uji",
                sekretaris="Sekretaris Uji",
                kepala_desa="Kepala Desa Uji",
            ),
        )
        init_receiver(root / "penerima.sqlite", "36", "Penerima Uji")
        return _("village and receiver files")

    steps.run(_("set up a village and a receiver file"), setup)

    def demo() -> str:
        from kt_desktop.services import demo as demo_service
        from kt_desktop.services.session import open_session

        session = open_session(root / "desa.sqlite")
        state.setdefault("sessions", []).append(session)
        state["village"] = session
        added = demo_service.fill(session, members=80, months=3, seed=7, today=clock.today())
        return _("{rows} rows").format(rows=sum(added.values()))

    steps.run(_("fill demo data"), demo)

    def window() -> str:
        from kt_desktop.gui.snapshot import render_main_window

        shot = root / "main-window.png"
        width, height = render_main_window(state["village"], shot)
        if width < 800 or shot.stat().st_size < 5000:
            raise RuntimeError("the main window did not paint")
        return f"{width}x{height}"

    steps.run(_("render the main window offscreen"), window)

    def icu() -> str:
        from kt_desktop.gui.icu_check import check_icu

        return check_icu()

    steps.run(_("sort and name time zones in Indonesian (Qt's ICU data)"), icu)

    def report() -> str:
        from kt_desktop.services.reports import build_monthly

        today = clock.today()
        pdf = build_monthly(state["village"], today.year, today.month, root / "bulanan.pdf")
        data = pdf.read_bytes()
        if not data.startswith(b"%PDF") or b"%%EOF" not in data[-1024:]:
            raise RuntimeError("the report is not a complete PDF")
        if b"/FontFile2" not in data:
            raise RuntimeError("the report's fonts are not embedded")
        return f"{len(data) // 1024} KiB"

    steps.run(_("write the monthly report (PDF)"), report)

    def bundle() -> str:
        from kt_desktop.services import bundles
        from kt_desktop.services.session import open_session

        receiver = open_session(root / "penerima.sqlite")
        state.setdefault("sessions", []).append(receiver)
        key_file = root / "penerima.ktkey"
        bundles.export_receiver_key(receiver, key_file)
        bundles.import_receiver_key(state["village"], key_file)
        stick = root / "flashdisk"
        stick.mkdir()
        result = bundles.export(state["village"], dest_dir=stick, full=True)
        if not result.encrypted:
            raise RuntimeError("the bundle was not encrypted to the receiver's key")
        report = bundles.import_files(receiver, [result.path], trust_new=True)
        summary = report.bundles[0]
        if not summary.ok:
            raise RuntimeError(f"the receiver refused the bundle: {summary.message}")
        state["bundle"], state["receiver"] = result.path, receiver
        return _("{bundle}, {records} records merged").format(
            bundle=result.path.name, records=summary.total("created"))

    steps.run(_("write a bundle and verify it on a receiver"), bundle)

    def helper() -> str:
        from kt_desktop.bundles import keys, merge, prepare
        from kt_desktop.bundles.read import DEFAULT_LIMITS

        db = state["receiver"].db()
        path = state["bundle"]
        job = prepare.Job(path.name, path, None, 1)
        key = prepare.key_bytes(keys.encryption_private_key(db))
        with prepare.Preparer([job], key=key, schema=merge.receiver_schema(db),
                              limits=DEFAULT_LIMITS, executor=prepare.helper_pool) as preparer:
            done = preparer.get(0)
        if done is None or done.tables is None:
            raise RuntimeError("the helper process did not check the bundle")
        return _("{records} records checked").format(
            records=sum(len(table.rows) for table in done.tables))

    steps.run(_("check a bundle in a helper process (large imports)"), helper)
