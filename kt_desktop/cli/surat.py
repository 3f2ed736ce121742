"""``kt-desktop surat …``: letters from templates and the numbering of outgoing letters.

    kt-desktop surat buat --template NAME --perihal TEXT --kepada TEXT [--rapat ID]
        [--anggota NIK ...] [--field KEY=VALUE ...] [--lampiran TEXT] [--tembusan TEXT ...]
        [--mengetahui] [--nik-lengkap --alasan TEXT] [--date YYYY-MM-DD] --out FILE.pdf
    kt-desktop surat batal ID --alasan TEXT      cancel a letter (it keeps its number)
    kt-desktop surat pola [PATTERN]              show or set the number pattern

The letters are listed, exported and imported with ``kt-desktop book … surat-keluar``; the
agendas printed with ``kt-desktop report agenda --arah masuk|keluar --year YYYY``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kt_desktop.cli import CliRefusal, action, command_group, data_session, emit, iso_date
from kt_desktop.i18n import _


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from kt_desktop.domain.letters import TEMPLATES

    actions = command_group(subparsers, common, "surat",
                            _("write a numbered letter from a template"), dest="surat_action")
    make = action(actions, common, "buat",
                  _("write a letter: it gets the next number and is recorded"), _make)
    make.add_argument("--template", required=True, choices=[t.key for t in TEMPLATES],
                      metavar="NAME", help=", ".join(t.key for t in TEMPLATES))
    make.add_argument("--perihal", required=True, metavar="TEXT", help=_("the subject"))
    make.add_argument("--kepada", required=True, metavar="TEXT", help=_("to whom"))
    make.add_argument("--rapat", default="", metavar="ID", help=_("the meeting (undangan)"))
    make.add_argument("--anggota", action="append", default=[], metavar="NIK",
                      help=_("a member the letter is about (repeat for several)"))
    make.add_argument("--field", action="append", default=[], metavar="KEY=VALUE",
                      help=_("a value of the template (e.g. kegiatan=Lomba 17-an)"))
    make.add_argument("--lampiran", default="", metavar="TEXT", help=_("attachments"))
    make.add_argument("--tembusan", action="append", default=[], metavar="TEXT",
                      help=_("a copy goes to (repeat for several)"))
    make.add_argument("--mengetahui", action="store_true",
                      help=_("add “Acknowledged by, Kepala Desa/Lurah”"))
    make.add_argument("--nik-lengkap", action="store_true",
                      help=_("print the full NIK (needs --alasan; kept in the audit log)"))
    make.add_argument("--alasan", default="", metavar="TEXT", help=_("why the full NIK"))
    make.add_argument("--date", type=iso_date, default=None, metavar="YYYY-MM-DD",
                      help=_("the letter's date (default: today)"))
    make.add_argument("--out", required=True, metavar="FILE.pdf", help=_("where to write the PDF"))
    cancel = action(actions, common, "batal",
                    _("cancel a letter: it keeps its number, marked batal"), _cancel)
    cancel.add_argument("id", metavar="ID")
    cancel.add_argument("--alasan", required=True, metavar="TEXT", help=_("why"))
    action(actions, common, "pola", _("show or set the pattern of letter numbers"),
           _pattern).add_argument("pattern", nargs="?", default=None, metavar="PATTERN")



def _make(args: argparse.Namespace) -> int:
    from kt_desktop.services import surat

    fields = {}
    for pair in args.field:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CliRefusal(_("Write each value as KEY=VALUE (not {pair}).").format(pair=pair))
        fields[key.strip()] = value
    draft = surat.LetterDraft(
        template=args.template, subject=args.perihal, addressee=args.kepada,
        attachment_note=args.lampiran, rapat_id=args.rapat, member_niks=list(args.anggota),
        fields=fields, copies=list(args.tembusan), acknowledge=args.mengetahui,
        reveal_nik=args.nik_lengkap, reveal_reason=args.alasan)
    with data_session(args) as session:
        letter_id, number, path = surat.write(session, draft, Path(args.out).expanduser(),
                                              day=args.date)
    emit(args, {"id": letter_id, "number": number, "path": str(path)},
         [_("Letter number {number} written: {path}").format(number=number, path=path)])
    return 0


def _cancel(args: argparse.Namespace) -> int:
    from kt_desktop.services import surat

    with data_session(args) as session:
        number = surat.cancel(session, args.id, args.alasan)
    emit(args, {"id": args.id, "number": number, "state": "batal"},
         [_("Letter {number} is cancelled; its number stays taken.").format(number=number)])
    return 0


def _pattern(args: argparse.Namespace) -> int:
    from kt_desktop.services import surat

    with data_session(args) as session:
        pattern = (surat.number_pattern(session) if args.pattern is None
                   else surat.set_number_pattern(session, args.pattern))
    emit(args, {"pattern": pattern}, [pattern])
    return 0
