"""The papers the new books print are official papers too: Indonesian whatever language the
window speaks (issue 16), like the monthly report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kt_desktop import i18n
from kt_desktop.services import assessment, dues, pengurus, rapat
from kt_desktop.services.session import Session
from tests.test_pengurus import small_board
from tests.test_rapat_surat import hold_meeting
from tests.test_reports_helpers import Village, add_members, pdf_text

PRINTED = dt.date(2026, 6, 15)


def test_english_ui_still_prints_the_books_papers_in_indonesian(
    village_session: Session, tmp_path: Path
) -> None:
    village = Village()
    add_members(village_session, village)
    small_board(village_session)
    meeting = hold_meeting(village_session, village)
    i18n.set_language("en")
    try:
        papers = {
            "struktur": pengurus.build_struktur(village_session, tmp_path / "s.pdf",
                                                today=PRINTED),
            "profil": assessment.build_profile(village_session, tmp_path / "p.pdf",
                                               today=PRINTED),
            "tunggakan": dues.build_arrears(village_session, (2026, 5), tmp_path / "t.pdf",
                                            today=PRINTED),
            "notulen": rapat.build_notulen(village_session, meeting, tmp_path / "n.pdf",
                                           today=PRINTED),
        }
        assert i18n.language() == "en"  # the window keeps its English
    finally:
        i18n.set_language("id")
    for name, path in papers.items():
        text = pdf_text(path)
        assert "Halaman 1 dari" in text, name
        assert "Page 1 of" not in text and "Printed" not in text, name
    assert "STRUKTUR ORGANISASI" in pdf_text(papers["struktur"])
    assert "PROFIL KARANG TARUNA" in pdf_text(papers["profil"])
    assert "NOTULEN RAPAT" in pdf_text(papers["notulen"])
