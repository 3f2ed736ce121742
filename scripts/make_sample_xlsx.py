"""Write ``resources/samples/contoh-anggota.xlsx``: the sample member spreadsheet.

    .venv/bin/python scripts/make_sample_xlsx.py [OUT.xlsx]

The sheet "Anggota" has a "No" column and then exactly the headers the member export writes
(the importer's canonical ones, :data:`kt_desktop.services.member_export.COLUMNS`), so a
secretary who fills it in gets a file that imports without choosing any column, and one who
compares it with an export sees the same shape. Ten example members of the demo village
(Desa Baros, Kecamatan Baros, Kabupaten Serang) show what each column takes: officers and a
seksi, a passive member, a member with a disability, one without a NIK yet (with the reason)
and one under 18 (with the parent's consent). NIKs, phone numbers, RT and RW are text cells
in text-formatted columns, so Excel neither rounds a NIK nor drops a phone's leading 0; dates
are real date cells shown as dd/mm/yyyy; a few columns offer a drop-down list. The sheet
"Petunjuk" explains every column in Indonesian.

``tests/test_samples.py`` checks that the committed file holds what this script writes and
that it imports without a refused row.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kt_desktop.domain.members import (  # noqa: E402
    DOC_EDUCATION,
    DOC_RELIGION,
    DOC_STATUS,
    Member,
)
from kt_desktop.services.member_export import COLUMNS, member_cells  # noqa: E402

if TYPE_CHECKING:
    from openpyxl import Workbook

DEFAULT_OUT = ROOT / "resources" / "samples" / "contoh-anggota.xlsx"
SHEET = "Anggota"
GUIDE_SHEET = "Petunjuk"
HEADERS: tuple[str, ...] = ("No", *COLUMNS)
#: Columns kept as text (Excel would round a NIK and drop a phone's leading 0).
TEXT_HEADERS = frozenset({"NIK", "No. HP", "RT", "RW"})
DATE_HEADERS = frozenset(
    {"Tanggal Lahir", "Tanggal Bergabung", "Tanggal Keluar", "Jabatan Mulai", "Jabatan Sampai",
     "Tanggal Persetujuan"}
)
#: Rows the drop-down lists reach (a village register rarely passes a few hundred rows).
LIST_ROWS = 1000
#: The kecamatan part of a NIK first issued in Kecamatan Baros (36.04.22).
NIK_PREFIX = "360422"


def example(name: str, sex: str, birth_place: str, birth_date: dt.date, serial: int | None,
            dusun: str, rt: str, rw: str, address: str, education: str, occupation: str,
            phone: str, skills: str, **more: Any) -> Member:
    """One example member as the register keeps it (codes, not the sheet's words: the
    export's own :func:`member_cells` writes them, so the sample has exactly its cells); the
    NIK is made from the birth date and sex, as Dukcapil does (``serial`` None: none yet)."""
    day = birth_date.day + (40 if sex == "P" else 0)
    nik = "" if serial is None else (
        f"{NIK_PREFIX}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}")
    return Member(name=name, nik=nik, sex=sex, birth_place=birth_place, birth_date=birth_date,
                  religion="islam", dusun=dusun, rt=rt, rw=rw, address=address,
                  education=education, occupation=occupation, phone=phone,
                  skills=skills.split(", "), **more)


D = dt.date
OFFICERS_SINCE = D(2022, 1, 10)
EXAMPLES: tuple[Member, ...] = (
    example("Ahmad Fauzi", "L", "Serang", D(1994, 3, 12), 1, "Kampung Cilaku", "002", "003",
            "Jl. Raya Baros No. 12", "s1", "Guru honorer", "0812-3456-7801",
            "Komputer, pembawa acara", joined_on=D(2018, 1, 14), position="ketua",
            position_start=OFFICERS_SINCE),
    example("Siti Nurhaliza", "P", "Serang", D(1998, 7, 25), 3, "Kampung Cilaku", "001", "003",
            "Kp. Cilaku RT 001/003", "diploma", "Staf kantor desa", "0857-1122-3344",
            "Komputer, desain grafis", joined_on=D(2019, 2, 3), position="sekretaris",
            position_start=OFFICERS_SINCE),
    example("Rina Marlina", "P", "Pandeglang", D(1997, 11, 2), 2, "Kampung Sukamaju", "004",
            "001", "Kp. Sukamaju RT 004/001", "sma", "Pedagang", "0813-8765-4321",
            "Tata boga", joined_on=D(2019, 2, 3), position="bendahara",
            position_start=OFFICERS_SINCE),
    example("Dede Kurniawan", "L", "Serang", D(2000, 5, 19), 4, "Kampung Pasirhuni", "003",
            "002", "Kp. Pasirhuni RT 003/002", "sma", "Montir", "0878-2233-4455",
            "Otomotif, las", joined_on=D(2020, 6, 7), position="ketua_seksi",
            seksi="Olahraga dan Seni Budaya", position_start=OFFICERS_SINCE),
    example("Nurul Hidayah", "P", "Serang", D(2002, 1, 30), 1, "Kampung Sukamaju", "002", "001",
            "Kp. Sukamaju RT 002/001", "sma", "Penjahit", "0896-5544-3322",
            "Menjahit", joined_on=D(2021, 8, 17), position="anggota_seksi",
            seksi="Pendidikan dan Pelatihan", position_start=OFFICERS_SINCE),
    example("Asep Saepudin", "L", "Serang", D(1999, 9, 9), 2, "Kampung Pasirhuni", "001", "002",
            "Kp. Pasirhuni RT 001/002", "smp", "Petani", "", "Pertanian, perikanan",
            status="pasif", joined_on=D(2018, 1, 14),
            notes="Bekerja di luar kota sejak 2024"),
    example("Euis Komariah", "P", "Lebak", D(2004, 4, 21), 5, "Kampung Cilaku", "003", "003",
            "Kp. Cilaku RT 003/003", "sma", "Belum bekerja", "0819-3030-2121",
            "Tata rias", joined_on=D(2022, 10, 28)),
    example("Ujang Supriatna", "L", "Serang", D(2001, 6, 15), 3, "Kampung Sukamaju", "001",
            "001", "Kp. Sukamaju RT 001/001", "sd", "Pengrajin bambu",
            "0852-7788-9900", "Kerajinan bambu", joined_on=D(2021, 3, 21), disability=True,
            disability_kind="Disabilitas fisik (tunadaksa)"),
    example("Intan Permatasari", "P", "Jakarta", D(2003, 8, 17), None, "Kampung Pasirhuni",
            "002", "002", "Kp. Pasirhuni RT 002/002", "sma", "Karyawan toko",
            "0821-4567-8912", "Barista", joined_on=D(2025, 9, 1),
            nik_missing_reason="Baru pindah, KK sedang diurus di Dukcapil"),
    example("Fajar Maulana", "L", "Serang", D(2010, 2, 11), 2, "Kampung Cilaku", "002", "003",
            "Kp. Cilaku RT 002/003", "smp", "Pelajar", "", "Sepak bola, hadroh",
            joined_on=D(2025, 7, 20), guardian_name="Aminah", guardian_relation="Ibu",
            consent_on=D(2025, 7, 20)),
)

#: (column, required?, what to write) for the "Petunjuk" sheet.
GUIDE: tuple[tuple[str, str, str], ...] = (
    ("No", "tidak", "Nomor urut. Boleh dibiarkan; kolom ini tidak diimpor."),
    ("Nama Lengkap", "wajib", "Nama sesuai KTP/KK."),
    ("NIK", "wajib*", "16 angka dari KTP/KK. Kolom ini berformat Teks supaya Excel tidak "
     "membulatkan angkanya. Jika menyalin dari berkas lain, tempel sebagai nilai (Paste Values)."),
    ("Alasan Tanpa NIK", "*", "Isi hanya jika NIK belum ada, misalnya \u201cbelum memiliki "
     "KTP/KK\u201d. Jangan mengarang NIK."),
    ("Tempat Lahir", "tidak", "Kota/kabupaten tempat lahir."),
    ("Tanggal Lahir", "wajib", "Tanggal/bulan/tahun, misalnya 25/07/1998. Jika kosong, "
     "diambil dari NIK."),
    ("L/P", "wajib", "L untuk laki-laki, P untuk perempuan. Jika kosong, diambil dari NIK."),
    ("Agama", "tidak", "Islam, Kristen, Katolik, Hindu, Buddha, Khonghucu, atau Kepercayaan "
     "terhadap Tuhan YME."),
    ("Dusun", "tidak", "Dusun/kampung/lingkungan tempat tinggal."),
    ("RT", "tidak", "Nomor RT, paling banyak 3 angka (001)."),
    ("RW", "tidak", "Nomor RW, paling banyak 3 angka (003)."),
    ("Alamat", "tidak", "Jalan atau keterangan alamat lainnya."),
    ("Pendidikan Terakhir", "tidak", "Pilih dari daftar: SD, SMP, SMA/SMK, Diploma, S1, S2, S3."),
    ("Pekerjaan", "tidak", "Pekerjaan sekarang, misalnya Pelajar, Petani, Belum bekerja."),
    ("No. HP", "tidak", "Nomor HP/WhatsApp yang diawali 08."),
    ("Keterampilan", "tidak", "Beberapa keterampilan dipisah koma: Menjahit, Komputer."),
    ("Disabilitas", "tidak", "Ya atau Tidak."),
    ("Jenis Disabilitas", "tidak", "Jika Ya: jenisnya, misalnya disabilitas fisik."),
    ("Status", "tidak", "Aktif, Pasif, atau Keluar. Jika kosong: Aktif."),
    ("Tanggal Bergabung", "tidak", "Tanggal mulai ikut Karang Taruna."),
    ("Tanggal Keluar", "**", "Wajib jika Status = Keluar."),
    ("Alasan Keluar", "**", "Wajib jika Status = Keluar: Pindah, Meninggal, Mengundurkan diri, "
     "atau Diberhentikan."),
    ("Jabatan", "tidak", "Untuk pengurus: Ketua, Wakil Ketua, Sekretaris, Wakil Sekretaris, "
     "Bendahara, Ketua Seksi \u2026, Anggota Seksi \u2026. Kosongkan untuk anggota biasa. "
     "Pengurus minimal berumur 17 tahun."),
    ("Jabatan Mulai", "tidak", "Tanggal mulai menjabat (SK pengukuhan)."),
    ("Jabatan Sampai", "tidak", "Tanggal akhir masa bakti, jika sudah diketahui."),
    ("Nama Orang Tua/Wali", "***", "Wajib untuk anggota di bawah 18 tahun: orang tua/wali yang "
     "setuju datanya dicatat (UU No. 27 Tahun 2022)."),
    ("Hubungan Wali", "tidak", "Misalnya Ibu, Ayah, Paman."),
    ("Tanggal Persetujuan", "***", "Tanggal orang tua/wali menyetujui."),
    ("Keterangan", "tidak", "Catatan lain."),
)
GUIDE_INTRO = (
    "Contoh berkas anggota untuk diimpor ke KT Desktop (menu Anggota \u2192 Impor).",
    "Baris 2 sampai 11 di lembar \u201cAnggota\u201d hanyalah contoh: hapus atau timpa dengan "
    "data anggota Anda. Judul kolom di baris 1 jangan diubah.",
    "Kolom yang tidak dipakai boleh dikosongkan atau dihapus. Simpan sebagai Excel Workbook "
    "(.xlsx).",
    "* Isi NIK, atau jika belum ada, isi Alasan Tanpa NIK.   ** Hanya untuk anggota yang "
    "keluar.   *** Hanya untuk anggota di bawah 18 tahun.",
)


def rows() -> list[list[Any]]:
    """The example rows as cells, in :data:`HEADERS` order: a number, then what the member
    export writes for each."""
    return [[number, *member_cells(member, reveal_nik=True)]
            for number, member in enumerate(EXAMPLES, start=1)]


def _list_validation(values: list[str], prompt: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(
        type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
        showErrorMessage=True, errorStyle="warning",
    )
    validation.errorTitle = "Nilai tidak ada di daftar"
    validation.error = prompt
    return validation


def build_workbook() -> Workbook:
    """The workbook, built in memory (the test compares it with the committed file)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.freeze_panes = "C2"
    bold = Font(bold=True)
    header_fill = PatternFill("solid", start_color="DCE6F0")
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
    for row in rows():
        sheet.append(row)
    for index, header in enumerate(HEADERS, start=1):
        letter = get_column_letter(index)
        width = 5 if header == "No" else 24 if header == "Nama Lengkap" else 19
        if header in ("Alamat", "Jabatan", "Alasan Tanpa NIK", "Keterangan", "Jenis Disabilitas"):
            width = 30
        sheet.column_dimensions[letter].width = width
        for cell in sheet[letter][1:]:
            if header in TEXT_HEADERS:
                cell.number_format = "@"
                if cell.value is not None:
                    cell.data_type = "s"
            elif header in DATE_HEADERS:
                cell.number_format = "DD/MM/YYYY"
        if header in TEXT_HEADERS:
            # Empty cells below the examples are text too, for what the secretary types.
            for number in range(len(EXAMPLES) + 2, LIST_ROWS + 2):
                sheet.cell(row=number, column=index).number_format = "@"

    lists = {
        "L/P": (["L", "P"], "Tulis L (laki-laki) atau P (perempuan)."),
        "Agama": (list(DOC_RELIGION.values()), "Pilih agama dari daftar."),
        "Pendidikan Terakhir": (list(DOC_EDUCATION.values()), "Pilih pendidikan dari daftar."),
        "Disabilitas": (["Ya", "Tidak"], "Tulis Ya atau Tidak."),
        "Status": (list(DOC_STATUS.values()), "Tulis Aktif, Pasif, atau Keluar."),
    }
    for header, (values, prompt) in lists.items():
        validation = _list_validation(values, prompt)
        letter = get_column_letter(HEADERS.index(header) + 1)
        validation.add(f"{letter}2:{letter}{LIST_ROWS + 1}")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet(GUIDE_SHEET)
    for line in GUIDE_INTRO:
        guide.append([line])
    guide.append([])
    guide.append(["Kolom", "Wajib?", "Isi dengan"])
    for cell in guide[guide.max_row]:
        cell.font = bold
        cell.fill = header_fill
    for entry in GUIDE:
        guide.append(list(entry))
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 9
    guide.column_dimensions["C"].width = 100
    for row in guide.iter_rows(min_row=len(GUIDE_INTRO) + 3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    guide["A1"].font = Font(bold=True)

    workbook.active = 0  # the importer reads the active sheet: the members, not the guide
    workbook.properties.creator = "KT Desktop"
    workbook.properties.title = "Contoh data anggota Karang Taruna"
    return workbook


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    build_workbook().save(out)
    print(f"{out} ({out.stat().st_size:,} bytes, {len(EXAMPLES)} example rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
