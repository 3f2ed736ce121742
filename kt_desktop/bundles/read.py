"""Reading and verifying a ``.ktb`` without trusting any of it (docs/DESIGN.md, "The data bundle").

Nothing is extracted to disk: listed members are read into memory under :class:`Limits`
(file size, entry count, per-entry and total size, compression ratio), after every name
was checked for ``..``, absolute paths, drive letters, device names and links. Then, in
this order: the signature over the tag manifest, the tag files' hashes, the payload's hashes
and file list, the schema version, and at last every row against the receiver's own
schema. Each refusal is a :class:`~kt_desktop.bundles.errors.BundleError` with a stable
code and one line the officer can act on.
"""

from __future__ import annotations

import base64
import hashlib
import json
import operator
import re
import struct
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kt_desktop.bundles import crypto
from kt_desktop.bundles import format as fmt
from kt_desktop.bundles.errors import BundleError
from kt_desktop.i18n import N_, _
from kt_desktop.store.sync import Column

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps that hold whatever a header claims (a village's full bundle is a few MB)."""

    max_bundle_bytes: int = 300 * MIB
    max_entries: int = 10_000
    max_entry_bytes: int = 64 * MIB
    max_total_bytes: int = 1024 * MIB
    #: Uncompressed / compressed above this is a zip bomb, for entries over ``ratio_floor``.
    max_ratio: int = 150
    ratio_floor: int = 1 * MIB
    #: Malformed rows listed in a refusal before "and N more".
    max_listed_rows: int = 20


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class VerifiedBag:
    """A bag whose signature and hashes hold; its rows are not checked yet."""

    info: fmt.BagInfo
    encrypted: bool
    bag_sha256: str
    tables: dict[str, bytes]  # table -> JSONL bytes
    attachments: dict[str, bytes]  # sha256 -> bytes


@dataclass(slots=True)
class ParsedTable:
    """Rows checked against the receiver's schema, as tuples in ``columns`` order."""

    name: str
    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TableSchema:
    name: str
    columns: list[Column]
    blob_columns: tuple[str, ...] = ()


# -- names ---------------------------------------------------------------------------------
_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$", re.I)
_DRIVE = re.compile(r"^[a-zA-Z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def unsafe_reason(name: str) -> str | None:
    """Why ``name`` must never be a path on any system (None when it is harmless).

    The reason is an English msgid; translate it with ``_()`` where it is shown.
    """
    if not name:
        return N_("empty name")
    if _CONTROL.search(name):
        return N_("control character")
    if "\\" in name:
        return N_("backslash")
    if name.startswith("/"):
        return N_("absolute path")
    if _DRIVE.match(name):
        return N_("drive letter")
    parts = name.split("/")
    for position, part in enumerate(parts):
        if part in ("..", "."):
            return N_("parent folder")
        if part == "" and position < len(parts) - 1:
            return N_("empty component")
        if _DEVICE.match(part):
            return N_("device name")
        if part and part[-1] in ". ":
            return N_("trailing dot or space")
        if ":" in part:
            return N_("colon")
    if len(name) > 255:
        return N_("too long")
    return None


def _allowed(name: str) -> bool:
    return (
        name in (fmt.BAGIT, fmt.BAG_INFO, fmt.MANIFEST, fmt.TAG_MANIFEST, fmt.SIGNATURE)
        or bool(fmt.TABLE_FILE.match(name))
        or bool(fmt.ATTACHMENT_FILE.match(name))
    )


# -- refusals --------------------------------------------------------------------------------
def _refuse(code: str, message: str, details: list[str] | None = None) -> BundleError:
    return BundleError(message, code=code, details=details or ())


def _missing(source: str, name: str) -> BundleError:
    return _refuse(
        "missing_file",
        _("{file} is incomplete: {name} is missing. Ask the village to export it again.").format(
            file=source, name=name
        ),
    )


def _extra(source: str, name: str) -> BundleError:
    return _refuse(
        "extra_file",
        _("{file} holds a file that does not belong in a bundle ({name}); it is refused.").format(
            file=source, name=name[:120]
        ),
    )


def _changed(source: str, name: str) -> BundleError:
    return _refuse(
        "hash_mismatch",
        _(
            "{file}: {name} was changed after the bundle was made (its hash does not match). "
            "Ask the village to send it again."
        ).format(file=source, name=name),
    )


# -- the ZIP container -----------------------------------------------------------------------
_EOCD = struct.Struct("<4sHHHHIIH")
_EOCD64_LOCATOR = struct.Struct("<4sIQI")
_EOCD64 = struct.Struct("<4sQHHIIQQQQ")


def _central_directory(bag: bytes, source: str, limits: Limits) -> None:
    """Check the entry count and directory size from the end record, before ``zipfile``
    builds an object per entry (a forged directory could hold millions)."""
    if not bag.startswith(b"PK\x03\x04"):
        raise crypto.refused("damaged", source)
    position = bag.rfind(b"PK\x05\x06", max(0, len(bag) - _EOCD.size - 65535))
    if position < 0:
        raise crypto.refused("damaged", source)
    (_sig, disk, cd_disk, _here, entries, cd_size, cd_offset, comment) = _EOCD.unpack_from(
        bag, position
    )
    if position + _EOCD.size + comment != len(bag) or disk or cd_disk:
        raise crypto.refused("damaged", source)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        locator_at = position - _EOCD64_LOCATOR.size
        if locator_at < 0:
            raise crypto.refused("damaged", source)
        signature, _d, eocd64_at, _n = _EOCD64_LOCATOR.unpack_from(bag, locator_at)
        if signature != b"PK\x06\x07" or eocd64_at + _EOCD64.size > len(bag):
            raise crypto.refused("damaged", source)
        fields = _EOCD64.unpack_from(bag, eocd64_at)
        if fields[0] != b"PK\x06\x06":
            raise crypto.refused("damaged", source)
        entries, cd_size = fields[7], fields[8]
    if entries > limits.max_entries or cd_size > limits.max_entries * 320 + 65536:
        raise _refuse(
            "too_many_entries",
            _(
                "{file} holds {count} files; a bundle may hold at most {limit}. It is refused."
            ).format(file=source, count=entries, limit=limits.max_entries),
        )


def _check_entries(
    archive: zipfile.ZipFile, source: str, limits: Limits
) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise _refuse(
            "too_many_entries",
            _(
                "{file} holds {count} files; a bundle may hold at most {limit}. It is refused."
            ).format(file=source, count=len(infos), limit=limits.max_entries),
        )
    by_name: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    total = 0
    for info in infos:
        name = info.orig_filename
        reason = unsafe_reason(name)
        mode = (info.external_attr >> 16) & 0o170000
        if reason is None and mode == 0o120000:
            reason = N_("link")
        if reason is not None:
            raise _refuse(
                "unsafe_path",
                _("{file} holds an unsafe path ({name}: {reason}); it is refused.").format(
                    file=source,
                    name=name[:120].encode("unicode_escape").decode("ascii"),
                    reason=_(reason),
                ),
            )
        if name in by_name or name.lower() in folded:
            raise _refuse(
                "duplicate_entry",
                _("{file} holds {name} twice; it is refused.").format(file=source, name=name),
            )
        if not _allowed(name) or info.is_dir():
            raise _extra(source, name)
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise crypto.refused("damaged", source)
        if info.file_size > limits.max_entry_bytes:
            raise _refuse(
                "entry_too_large",
                _("{file}: {name} is larger than {limit} MB; it is refused.").format(
                    file=source, name=name, limit=limits.max_entry_bytes // MIB
                ),
            )
        if info.file_size > limits.ratio_floor and (
            info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio
        ):
            raise _refuse(
                "compression_ratio",
                _(
                    "{file}: {name} is compressed far beyond a sane ratio (a zip bomb); it is "
                    "refused."
                ).format(file=source, name=name),
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _refuse(
                "too_large",
                _("{file} unpacks to more than {limit} MB; it is refused.").format(
                    file=source, limit=limits.max_total_bytes // MIB
                ),
            )
        by_name[name] = info
        folded.add(name.lower())
    return by_name


def _read_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, limits: Limits
) -> bytes:
    """The entry's bytes, never more than its (capped) declared size; CRC checked."""
    try:
        with archive.open(info) as handle:
            data = handle.read(info.file_size + 1)
            if len(data) != info.file_size:
                raise crypto.refused("damaged", source)
    except BundleError:
        raise
    except (
        zipfile.BadZipFile,
        OSError,
        EOFError,
        ValueError,
        RuntimeError,
        NotImplementedError,
    ) as exc:
        raise crypto.refused("damaged", source) from exc
    except Exception as exc:  # zlib.error and friends: a damaged stream, never a crash
        raise crypto.refused("damaged", source) from exc
    return data


def _text(data: bytes, source: str, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(
            "bad_bag_info",
            _("{file}: {name} is not valid text; it is refused.").format(file=source, name=name),
        ) from exc


def verify_bag(
    bag: bytes, *, source: str, encrypted: bool, limits: Limits = DEFAULT_LIMITS
) -> VerifiedBag:
    """Check the container, signature and hashes of ``bag`` (the ZIP)."""
    _central_directory(bag, source, limits)
    try:
        archive = zipfile.ZipFile(BytesIO(bag))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise crypto.refused("damaged", source) from exc
    except Exception as exc:  # struct.error and the like on a forged directory
        raise crypto.refused("damaged", source) from exc
    with archive:
        entries = _check_entries(archive, source, limits)
        for required in (fmt.SIGNATURE, fmt.TAG_MANIFEST, fmt.BAG_INFO, fmt.BAGIT, fmt.MANIFEST):
            if required not in entries:
                raise _missing(source, required)

        # 1. bag-info names the signing key; the signature over the tag manifest vouches for it.
        info_bytes = _read_entry(archive, entries[fmt.BAG_INFO], source, limits)
        try:
            info = fmt.parse_bag_info(_text(info_bytes, source, fmt.BAG_INFO))
        except fmt.BagInfoError as exc:
            raise _refuse(
                "bad_bag_info",
                _("{file}: bag-info.txt is not valid ({problem}); it is refused.").format(
                    file=source, problem=str(exc)[:80]
                ),
            ) from exc
        tag_manifest = _read_entry(archive, entries[fmt.TAG_MANIFEST], source, limits)
        signature_text = _read_entry(archive, entries[fmt.SIGNATURE], source, limits)
        try:
            signature = base64.b64decode(signature_text.strip(), validate=True)
            Ed25519PublicKey.from_public_bytes(info.signing_key).verify(signature, tag_manifest)
        except (InvalidSignature, ValueError) as exc:
            raise _refuse(
                "bad_signature",
                _(
                    "{file}: the signature does not match; the bundle was changed after the "
                    "village signed it. Ask the village to send it again."
                ).format(file=source),
            ) from exc

        # 2. the tag files' hashes.
        try:
            tag_hashes = fmt.parse_manifest(_text(tag_manifest, source, fmt.TAG_MANIFEST))
        except ValueError as exc:
            raise _changed(source, fmt.TAG_MANIFEST) from exc
        for name in fmt.TAG_FILES:
            if name not in tag_hashes:
                raise _missing(source, name)
        for name in tag_hashes:
            if name not in fmt.TAG_FILES:
                raise _extra(source, name)
        tag_data = {fmt.BAG_INFO: info_bytes}
        for name in (fmt.BAGIT, fmt.MANIFEST):
            tag_data[name] = _read_entry(archive, entries[name], source, limits)
        for name, data in tag_data.items():
            if hashlib.sha256(data).hexdigest() != tag_hashes[name]:
                raise _changed(source, name)

        # 3. the payload: exactly the files the manifest lists, each with its hash.
        try:
            payload_hashes = fmt.parse_manifest(_text(tag_data[fmt.MANIFEST], source, fmt.MANIFEST))
        except ValueError as exc:
            raise _changed(source, fmt.MANIFEST) from exc
        payload_names = {name for name in entries if name.startswith(fmt.DATA_DIR)}
        for name in payload_hashes:
            if name not in payload_names:
                raise _missing(source, name)
        for name in sorted(payload_names):
            if name not in payload_hashes:
                raise _extra(source, name)
        tables: dict[str, bytes] = {}
        attachments: dict[str, bytes] = {}
        size = 0
        for name, digest in payload_hashes.items():
            data = _read_entry(archive, entries[name], source, limits)
            if hashlib.sha256(data).hexdigest() != digest:
                raise _changed(source, name)
            size += len(data)
            table = fmt.TABLE_FILE.match(name)
            if table:
                tables[table.group(1)] = data
            else:
                attachment = fmt.ATTACHMENT_FILE.match(name)
                assert attachment is not None  # _allowed() let nothing else through
                if attachment.group(1) != digest:
                    raise _changed(source, name)
                attachments[digest] = data
    if info.payload_oxum and info.payload_oxum != f"{size}.{len(payload_hashes)}":
        raise _changed(source, fmt.BAG_INFO)
    for table in info.record_counts:
        if table not in tables:
            raise _missing(source, fmt.table_file(table))
    for table in tables:
        if table not in info.record_counts:
            raise _extra(source, fmt.table_file(table))
    return VerifiedBag(
        info=info,
        encrypted=encrypted,
        bag_sha256=hashlib.sha256(bag).hexdigest(),
        tables=tables,
        attachments=attachments,
    )


def open_bundle(
    data: bytes,
    receiver_key: X25519PrivateKey | None,
    *,
    source: str,
    limits: Limits = DEFAULT_LIMITS,
) -> VerifiedBag:
    """Envelope, container, signature and hashes of a whole ``.ktb`` file's bytes."""
    if len(data) > limits.max_bundle_bytes:
        raise too_large(source, limits)
    opened = crypto.open_envelope(data, receiver_key, source=source)
    return verify_bag(opened.bag, source=source, encrypted=opened.encrypted, limits=limits)


def too_large(source: str, limits: Limits = DEFAULT_LIMITS) -> BundleError:
    return _refuse(
        "too_large",
        _("{file} is larger than {limit} MB; it is refused as a precaution.").format(
            file=source, limit=limits.max_bundle_bytes // MIB
        ),
    )


def check_schema_version(bag: VerifiedBag, known: int, *, source: str) -> None:
    if bag.info.schema_version > known:
        raise _refuse(
            "newer_schema",
            _(
                "{file} was made by a newer KT Desktop (schema {found}; this program knows "
                "{known}). Update the application (perbarui aplikasi) and import it again."
            ).format(file=source, found=bag.info.schema_version, known=known),
        )


# -- rows ------------------------------------------------------------------------------------
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_NONE = type(None)
_ALLOWED_TYPES: dict[str, frozenset[type]] = {
    "TEXT": frozenset({str}),
    "INTEGER": frozenset({int}),
    "REAL": frozenset({int, float}),
    "NUMERIC": frozenset({int, float, str}),
    "BLOB": frozenset({str}),  # a reference to data/attachments/<sha256>
}
_KIND_WORD = {
    "TEXT": N_("text"),
    "INTEGER": N_("a whole number"),
    "REAL": N_("a number"),
    "NUMERIC": N_("a number or text"),
    "BLOB": N_("an attachment reference"),
}


def _valid_unicode(obj: dict[str, Any]) -> bool:
    """Whether every key and text value can be written as UTF-8 (no lone surrogates)."""
    try:
        for key, value in obj.items():
            key.encode("utf-8")
            if type(value) is str:
                value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


class _RowProblems:
    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.lines: list[str] = []
        self.count = 0
        self.other_village: list[str] = []

    def add(self, table: str, line: int, problem: str) -> None:
        self.count += 1
        if len(self.lines) < self.limits.max_listed_rows:
            self.lines.append(
                _("{name} line {line}: {problem}").format(
                    name=fmt.table_file(table), line=line, problem=problem
                )
            )

    def raise_if_any(self) -> None:
        if self.other_village:
            raise _refuse(
                "other_village",
                _(
                    "{file} holds rows that claim another village ({where}); a village may "
                    "only send its own records. It is refused."
                ).format(file=self.source, where="; ".join(self.other_village[:3])),
                self.other_village,
            )
        if not self.count:
            return
        shown = "; ".join(self.lines[:3])
        more = self.count - min(3, len(self.lines))
        message = _("{file} has {count} malformed rows: {rows}").format(
            file=self.source, count=self.count, rows=shown
        )
        if more > 0:
            message += " " + _("(and {count} more)").format(count=more)
        raise _refuse("malformed_rows", message, self.lines)


def _type_problem(values: list[Any], allowed: list[frozenset[type]], columns: list[Column]) -> str:
    """What is wrong with the first value of the wrong type ("" when all fit)."""
    for position, value in enumerate(values):
        if type(value) not in allowed[position]:
            column = columns[position]
            what = (
                _("must not be empty")
                if value is None
                else _("must be {kind}").format(kind=_(_KIND_WORD[column.kind]))
            )
            return _("column {column} {what}").format(column=column.name, what=what)
    return ""


def parse_rows(
    bag: VerifiedBag,
    schema: Mapping[str, TableSchema],
    *,
    source: str,
    limits: Limits = DEFAULT_LIMITS,
) -> list[ParsedTable]:
    """Every row of every table, checked against ``schema`` (the receiver's tables).

    A row must be a JSON object of known columns with values of the column's type, a UUID
    ``id``, the bundle's own ``village_code``, a version ≥ 1 and a UTC timestamp. BLOB
    columns hold the SHA-256 of a file under ``data/attachments/`` and come back as bytes.
    Problems are collected (up to :attr:`Limits.max_listed_rows` listed, by line) and
    raised together, so the officer sees them all at once.
    """
    problems = _RowProblems(source, limits)
    village = bag.info.village_code
    parsed: list[ParsedTable] = []
    used_attachments: set[str] = set()
    ordered = [name for name in schema if name in bag.tables]
    unknown = [name for name in bag.tables if name not in schema]
    for name in unknown:
        problems.add(name, 1, _("unknown table {table}").format(table=name))
    for name in ordered:
        table = schema[name]
        columns = [column.name for column in table.columns]
        index = {column: position for position, column in enumerate(columns)}
        allowed = []
        for column in table.columns:
            kinds = set(_ALLOWED_TYPES[column.kind])
            if not column.not_null:
                kinds.add(_NONE)
            allowed.append(frozenset(kinds))
        blob_positions = [index[column] for column in table.blob_columns if column in index]
        defaults = [column.default for column in table.columns]
        required = {
            column.name for column in table.columns if column.not_null and column.default is None
        }
        required |= {"id", "village_code", "version", "updated_at", "change_seq"}
        column_set = set(columns)
        id_at, village_at, version_at = index["id"], index["village_code"], index["version"]
        updated_at, change_at, deleted_at = (
            index["updated_at"],
            index["change_seq"],
            index["deleted_at"],
        )
        seen_ids: set[str] = set()
        number_positions = [
            i
            for i, column in enumerate(table.columns)
            if column.kind in ("INTEGER", "REAL", "NUMERIC")
        ]
        rows: list[tuple[Any, ...]] = []
        data = bag.tables[name]
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        elif data:
            problems.add(name, len(lines), _("the file does not end with a line break"))
        declared = bag.info.record_counts.get(name, 0)
        if len(lines) != declared:
            raise _refuse(
                "count_mismatch",
                _(
                    "{file}: {name} holds {found} rows but the bundle says {declared}; it is "
                    "refused."
                ).format(
                    file=source, name=fmt.table_file(name), found=len(lines), declared=declared
                ),
            )
        # The loop below runs for every row of a province (millions): the common case is
        # kept to C calls (the JSON scanner, itemgetter, the type patterns seen valid with
        # their integer columns, the timestamps seen valid).
        getter = operator.itemgetter(*columns)  # a tuple: a record table has > 1 column
        pattern_ints: dict[tuple[type, ...], tuple[int, ...]] = {}
        good_stamps: set[str] = set()
        scan = _DECODER.scan_once
        for number, raw in enumerate(lines, start=1):
            try:
                text = raw.decode("utf-8")
                try:
                    obj, end = scan(text, 0)
                except StopIteration:  # leading whitespace, or not JSON: the full decoder says
                    obj, end = _DECODER.decode(text), len(text)
                if end != len(text):  # trailing whitespace, or more after the value
                    obj = _DECODER.decode(text)
            except (UnicodeDecodeError, ValueError):
                problems.add(name, number, _("not valid JSON"))
                continue
            if type(obj) is not dict:
                problems.add(name, number, _("not a JSON object"))
                continue
            if (b"\\ud" in raw or b"\\uD" in raw) and not _valid_unicode(obj):
                # A lone surrogate escape ("\ud800") decodes, but SQLite cannot store it.
                problems.add(name, number, _("text that is not valid Unicode"))
                continue
            values: Any
            if obj.keys() != column_set:
                extra = [key for key in obj if key not in column_set]
                if extra:
                    problems.add(
                        name, number, _("unknown column {column}").format(column=str(extra[0])[:40])
                    )
                    continue
                missing = [column for column in required if column not in obj]
                if missing:
                    problems.add(
                        name,
                        number,
                        _("column {column} is missing").format(column=sorted(missing)[0]),
                    )
                    continue
                values = tuple(
                    obj[column] if column in obj else defaults[i]
                    for i, column in enumerate(columns)
                )
            else:
                values = getter(obj)
            # Rows of a table share a handful of type patterns: check each pattern once.
            pattern = tuple(map(type, values))
            ints = pattern_ints.get(pattern)
            if ints is None:
                problem = _type_problem(list(values), allowed, table.columns)
                if problem:
                    problems.add(name, number, problem)
                    continue
                ints = pattern_ints[pattern] = tuple(
                    i for i in number_positions if pattern[i] is int
                )
            big = [columns[i] for i in ints if not _INT_MIN <= values[i] <= _INT_MAX]
            if big:
                problems.add(
                    name, number, _("column {column} is out of range").format(column=big[0])
                )
                continue
            record_id = values[id_at]
            if not _UUID.match(record_id):
                problems.add(name, number, _("id is not a UUID"))
                continue
            if record_id in seen_ids:
                problems.add(name, number, _("id {id} appears twice").format(id=record_id))
                continue
            seen_ids.add(record_id)
            if values[village_at] != village:
                if len(problems.other_village) < limits.max_listed_rows:
                    problems.other_village.append(
                        _("{name} line {line}: {code}").format(
                            name=fmt.table_file(name),
                            line=number,
                            code=str(values[village_at])[:20],
                        )
                    )
                continue
            if values[version_at] < 1 or values[change_at] < 0:
                problems.add(name, number, _("version or change number is not positive"))
                continue
            stamp, removed = values[updated_at], values[deleted_at]
            if (stamp not in good_stamps and not _TIMESTAMP.match(stamp)) or (
                removed is not None and removed not in good_stamps and not _TIMESTAMP.match(removed)
            ):
                problems.add(name, number, _("a timestamp is not in UTC ISO-8601 form"))
                continue
            good_stamps.add(stamp)
            if removed is not None:
                good_stamps.add(removed)
            if blob_positions:
                values = list(values)
                bad = False
                for position in blob_positions:
                    ref = values[position]
                    if ref is None:
                        continue
                    if ref not in bag.attachments:
                        problems.add(
                            name,
                            number,
                            _("column {column} refers to a missing attachment").format(
                                column=columns[position]
                            ),
                        )
                        bad = True
                        break
                    values[position] = bag.attachments[ref]
                    used_attachments.add(ref)
                if bad:
                    continue
                values = tuple(values)
            rows.append(values)
        parsed.append(ParsedTable(name=name, columns=columns, rows=rows))
    problems.raise_if_any()
    for digest in bag.attachments:
        if digest not in used_attachments:
            raise _extra(source, fmt.attachment_file(digest))
    return parsed
