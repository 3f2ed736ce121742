"""The sample files KT Desktop ships for secretaries to copy and fill in.

Today that is one file: ``resources/samples/contoh-anggota.xlsx``, a member spreadsheet with
every header the member import recognises and ten example rows (made by
``scripts/make_sample_xlsx.py``). A secretary who has no spreadsheet yet, or whose columns
are not recognised, saves it ("Unduh contoh" in the import dialog, or the link in Bantuan),
types over the examples and imports it.

The copy is written under a temporary name beside the destination and then renamed, so a
file that was already there is replaced whole or not at all, and a failed copy leaves no
half-written spreadsheet behind.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kt_desktop import paths
from kt_desktop.domain.errors import KtError, reason_text
from kt_desktop.i18n import _

#: File name of the sample member spreadsheet, in ``resources/samples``.
SAMPLE_MEMBERS = "contoh-anggota.xlsx"


def sample_members_path() -> Path:
    """Where the shipped sample is (inside the frozen program too)."""
    return paths.resource("samples", SAMPLE_MEMBERS)


def _target(dest: Path) -> Path:
    """``dest`` itself, or the sample's own name inside ``dest`` when it is a folder; a name
    typed without an extension gets ``.xlsx`` (Excel would not open it otherwise)."""
    if dest.is_dir():
        return dest / SAMPLE_MEMBERS
    if dest.suffix.casefold() != ".xlsx":
        return dest.with_name(dest.name + ".xlsx")
    return dest


def save_sample_members(dest: Path) -> Path:
    """Copy the sample member spreadsheet to ``dest`` (a file, or a folder to put it in).

    Returns the path written. Raises :class:`KtError` naming the file and what to do when
    the sample is missing from the installation or ``dest`` cannot be written.
    """
    source = sample_members_path()
    if not source.is_file():
        raise KtError(
            _(
                "The sample spreadsheet is missing from this installation ({path}). "
                "Install KT Desktop again from the original flash disk."
            ).format(path=source),
            code="sample_missing",
        )
    target = _target(Path(dest).expanduser())

    def refusal(exc: OSError) -> KtError:
        return KtError(
            _("{path} cannot be written: {reason}. Choose another folder.").format(
                path=target, reason=reason_text(exc)
            ),
            code="sample_not_written",
        )

    with paths.written_whole(target, refusal, sync=True) as temp:
        shutil.copyfile(source, temp)
    return target
