"""Outgoing letters: the number pattern and the templates with named placeholders.

A number is made from a pattern (a setting of the file, default :data:`DEFAULT_PATTERN`:
``014/UND/KT-TH/XII/2026``); the sequence restarts each year and is never given twice
(``services/surat.py``). A template is Indonesian text the secretary may edit; ``{name}``
placeholders are filled when the letter is written, and a template naming a placeholder the
program does not know is refused (the letter would print the braces).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass

from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.formats import roman_month
from kt_desktop.i18n import N_, _

DEFAULT_PATTERN = "{nomor:03}/{kode}/KT-{singkatan}/{bulan_romawi}/{tahun}"
#: What a number pattern may name.
NUMBER_PLACEHOLDERS = ("nomor", "kode", "singkatan", "bulan_romawi", "bulan", "tahun")
#: The code of the monthly report's number (it is a letter of the register too).
REPORT_CODE = "LAP"


def _names(text: str) -> list[tuple[str, str]]:
    """``(name, format spec)`` of every ``{placeholder}``; a ValueError on a stray brace."""
    return [(name, spec or "") for _lit, name, spec, _conv in string.Formatter().parse(text)
            if name is not None]


def check_pattern(pattern: str) -> str:
    """A number pattern that names only :data:`NUMBER_PLACEHOLDERS` and has ``{nomor}``."""
    pattern = pattern.strip()
    try:
        names = _names(pattern)
        format_number(pattern, 1, "UND", "TH", dt.date(2026, 1, 1))
    except (ValueError, KeyError, IndexError):
        names = [("?", "")]
    unknown = sorted({name for name, _spec in names} - set(NUMBER_PLACEHOLDERS))
    if unknown or "nomor" not in {name for name, _spec in names}:
        raise ValidationError(
            _("The number pattern “{pattern}” may only use {known}, and must contain "
              "{{nomor}}.").format(pattern=pattern, known=", ".join(
                  "{" + n + "}" for n in NUMBER_PLACEHOLDERS)),
            field="pattern", code="bad_pattern")
    return pattern


def short_part(short_name: str, name: str = "") -> str:
    """The Karang Taruna's part of a number: the profile's short name without a leading
    ``KT-`` (the pattern writes ``KT-{singkatan}``), safe inside a number; without a short
    name, the initials of its name after "Karang Taruna" (``Tunas Harapan`` → ``TH``)."""
    cleaned = re.sub(r"[\s/]+", "-", short_name.strip()).strip("-").upper()
    cleaned = re.sub(r"^KT-", "", cleaned)
    if not cleaned:
        rest = re.sub(r"^\s*(karang\s+taruna|kt)\b", "", name, flags=re.IGNORECASE)
        cleaned = "".join(word[0] for word in re.findall(r"[A-Za-z0-9]+", rest)).upper()
    return cleaned or "KT"


def format_number(pattern: str, sequence: int, code: str, short_name: str, day: dt.date,
                  name: str = "") -> str:
    """``014/UND/KT-TH/XII/2026`` for sequence 14 of a letter of ``day``."""
    return pattern.format(nomor=sequence, kode=code.strip().upper() or "UMUM",
                          singkatan=short_part(short_name, name),
                          bulan_romawi=roman_month(day.month),
                          bulan=f"{day.month:02d}", tahun=day.year)


# -- templates -----------------------------------------------------------------------------

#: Placeholders every template may use (filled from the profile, the letter and the date).
COMMON_PLACEHOLDERS = (
    "nama_kt", "desa", "kecamatan", "kabupaten", "ketua", "sekretaris", "perihal", "kepada",
    "tanggal_surat", "nomor_surat",
)
MEETING_PLACEHOLDERS = ("jenis_rapat", "hari_tanggal", "waktu", "tempat", "acara")
MEMBER_PLACEHOLDERS = ("nama", "nik", "tempat_tanggal_lahir", "alamat", "jabatan", "sejak")


#: What each placeholder is filled with, to offer them by name in the template's editor.
PLACEHOLDER_LABELS: dict[str, str] = {
    "nama_kt": N_("Name of the Karang Taruna"), "desa": N_("Village"),
    "kecamatan": N_("Kecamatan"), "kabupaten": N_("Kabupaten/kota"), "ketua": N_("Chair"),
    "sekretaris": N_("Secretary"), "perihal": N_("Subject"), "kepada": N_("Addressee"),
    "tanggal_surat": N_("Date of the letter"), "nomor_surat": N_("Number of the letter"),
    "jenis_rapat": N_("Kind of meeting"), "hari_tanggal": N_("Day and date of the meeting"),
    "waktu": N_("Time of the meeting"), "tempat": N_("Place of the meeting"),
    "acara": N_("Agenda of the meeting"), "nama": N_("Member's name"),
    "nik": N_("Member's NIK"), "tempat_tanggal_lahir": N_("Member's place and date of birth"),
    "alamat": N_("Member's address"), "jabatan": N_("Member's position"),
    "sejak": N_("Member since"), "daftar_anggota": N_("List of the members assigned"),
    "kegiatan": N_("The activity"), "keperluan": N_("What is requested"),
    "isi": N_("What is announced"), "tugas": N_("The assignment"),
    "waktu_tugas": N_("When the assignment is"),
}


@dataclass(frozen=True, slots=True)
class Template:
    """A letter's kind: its code in the number, its default body, and what it may name
    beyond :data:`COMMON_PLACEHOLDERS` (``fields``: typed by the secretary, ``--field``)."""

    key: str
    label: str  # English msgid
    code: str
    body: str  # Indonesian: the letter's text, as the secretary may edit it
    fields: tuple[str, ...] = ()
    meeting: bool = False  # filled from a meeting (undangan)
    member: str = ""  # "one": a member's data; "many": a list of members (surat tugas)

    @property
    def placeholders(self) -> tuple[str, ...]:
        extra = MEETING_PLACEHOLDERS if self.meeting else ()
        if self.member == "one":
            extra += MEMBER_PLACEHOLDERS
        if self.member == "many":
            extra += ("daftar_anggota",)
        return COMMON_PLACEHOLDERS + extra + self.fields


TEMPLATES: tuple[Template, ...] = (
    Template("undangan", N_("Invitation (undangan)"), "UND",
             "Dengan hormat,\n"
             "Mengharap kehadiran Saudara/Saudari pada {jenis_rapat} yang insyaallah akan "
             "dilaksanakan pada:\n"
             "Hari, tanggal : {hari_tanggal}\n"
             "Waktu : {waktu}\n"
             "Tempat : {tempat}\n"
             "Acara : {acara}\n"
             "Mengingat pentingnya acara tersebut, kami mohon Saudara/Saudari hadir tepat "
             "waktu. Atas perhatian dan kehadirannya kami ucapkan terima kasih.",
             meeting=True),
    Template("permohonan", N_("Request (permohonan)"), "PMH",
             "Dengan hormat,\n"
             "Sehubungan dengan {kegiatan}, kami {nama_kt} bermaksud mengajukan permohonan "
             "{keperluan}.\n"
             "Demikian permohonan ini kami sampaikan. Atas perhatian dan bantuannya kami "
             "ucapkan terima kasih.",
             fields=("kegiatan", "keperluan")),
    Template("pemberitahuan", N_("Notice (pemberitahuan)"), "PBT",
             "Dengan hormat,\n"
             "Bersama surat ini kami beritahukan bahwa {isi}\n"
             "Demikian pemberitahuan ini kami sampaikan untuk menjadi perhatian.",
             fields=("isi",)),
    Template("surat_tugas", N_("Assignment (surat tugas)"), "ST",
             "Yang bertanda tangan di bawah ini, Ketua {nama_kt}, menugaskan kepada:\n"
             "{daftar_anggota}\n"
             "untuk {tugas} pada {waktu_tugas}.\n"
             "Demikian surat tugas ini dibuat untuk dilaksanakan dengan penuh tanggung jawab.",
             fields=("tugas", "waktu_tugas"), member="many"),
    Template("keterangan_aktif", N_("Certificate of active membership"), "KET",
             "Yang bertanda tangan di bawah ini, Ketua {nama_kt}, menerangkan bahwa:\n"
             "Nama : {nama}\n"
             "NIK : {nik}\n"
             "Tempat, tanggal lahir : {tempat_tanggal_lahir}\n"
             "Alamat : {alamat}\n"
             "Jabatan : {jabatan}\n"
             "adalah benar anggota aktif {nama_kt} sejak {sejak}.\n"
             "Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya.",
             member="one"),
    Template("pengantar_proposal", N_("Cover letter of a proposal"), "PGT",
             "Dengan hormat,\n"
             "Bersama surat ini kami sampaikan proposal {kegiatan} yang akan dilaksanakan "
             "oleh {nama_kt}. Besar harapan kami Bapak/Ibu berkenan memberikan dukungan "
             "sebagaimana tercantum dalam proposal terlampir.\n"
             "Demikian surat pengantar ini kami sampaikan. Atas perhatian dan dukungannya "
             "kami ucapkan terima kasih.",
             fields=("kegiatan",)),
)


def template(key: str) -> Template:
    for item in TEMPLATES:
        if item.key == key:
            return item
    raise ValidationError(
        _("There is no letter template called “{key}”. Templates: {known}.").format(
            key=key, known=", ".join(t.key for t in TEMPLATES)),
        field="template", code="unknown_template")


def check_body(item: Template, body: str) -> str:
    """A template's text that names only placeholders it may use; refused otherwise,
    naming the unknown ones and the known ones."""
    try:
        names = {name for name, _spec in _names(body)}
    except ValueError:
        raise ValidationError(
            _("The template “{template}” has a brace without its pair; write a placeholder "
              "as {{name}}.").format(template=_(item.label)),
            field="body", code="bad_template") from None
    unknown = sorted(names - set(item.placeholders))
    if unknown or any(not name for name in names):
        raise ValidationError(
            _("The template “{template}” names unknown placeholders: {unknown}. It may use: "
              "{known}.").format(template=_(item.label),
                                  unknown=", ".join("{" + n + "}" for n in unknown) or "{}",
                                  known=", ".join("{" + n + "}" for n in item.placeholders)),
            field="body", code="unknown_placeholder")
    return body.strip()


#: What an empty placeholder prints: a dotted line to write on by hand.
BLANK = "." * 20


def fill(body: str, values: dict[str, str]) -> str:
    """The letter's text with every placeholder filled (an empty one as a dotted line)."""
    return body.format_map({name: (values.get(name) or BLANK)
                            for name, _spec in _names(body)})


@dataclass(frozen=True, slots=True)
class Letter:
    """A letter ready to print: everything its PDF shows."""

    number: str
    subject: str
    addressee: str
    attachment_note: str
    body: str
    copies: list[str]
    acknowledge: bool
    day: dt.date
