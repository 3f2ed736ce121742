"""Province → national: aggregates only (docs/NATIONAL.md).

The national level needs how many, not who (UU 27/2022 on personal data: only what the
purpose needs). A province receiver exports, per year, its roll-up's counts by village ×
month × category and funds by source, signed with its key as a document of the bundle
format (``Kind: aggregate``, :mod:`kt_desktop.bundles.documents`); a national receiver file
(code "00") imports the 38 provinces' aggregates through the usual ``bundle import`` and
prints the national recap. Names, NIKs, addresses, birth dates never leave the province.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Unpack

from kt_desktop import regions
from kt_desktop.bundles import documents, keys, read, transport, write
from kt_desktop.bundles.errors import BundleError
from kt_desktop.bundles.merge import NewVillage, TrustNew
from kt_desktop.domain import clock
from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.formats import utc_now_iso
from kt_desktop.i18n import _
from kt_desktop.services import receiver as receiver_service
from kt_desktop.services.bundles import (
    ALREADY,
    IMPORTED,
    REFUSED,
    BundleSummary,
    ImportInput,
    ImportOptions,
    ImportReport,
)
from kt_desktop.services.progress import Progress, no_progress
from kt_desktop.services.session import Session
from kt_desktop.services.setup import NATIONAL
from kt_desktop.store import migrations
from kt_desktop.store import national as store

KEYS_TABLE = "aggregate_keys"
VILLAGES_TABLE = "aggregate_villages"
#: A province-year is a few MB (goal ≤ 5 MB for Jawa Tengah); this caps a hostile file.
LIMITS = read.Limits(max_bundle_bytes=64 * read.MIB, max_entries=10, max_ratio=400)


def is_national(session: Session) -> bool:
    return session.is_receiver and session.code == NATIONAL


@dataclass(frozen=True, slots=True)
class MadeAggregate:
    path: Path
    seq: int
    year: int
    province: str
    villages: int
    enrolled: int
    rows: int
    bytes: int


def export_aggregate(
    session: Session, out_dir: Path, *, year: int | None = None,
    progress: Progress | None = None,
) -> MadeAggregate:
    """Write the province's signed aggregate of ``year`` (default: this year) to ``out_dir``.

    The roll-up is counted first (the figures the province's own views show), then read
    as it is: no record table is read, so nothing personal can slip in.
    """
    receiver_service.require_receiver(session)
    code = session.code
    region = regions.get(code)
    if region is None or region.level != 1:
        raise ValidationError(
            _("Only a province receiver exports the aggregate for the national level; this "
              "file is for {area}.").format(area=receiver_service.area_name(code)),
            code="not_province")
    from kt_desktop.services.receipts import existing_folder

    out_dir = existing_folder(out_dir)
    year = year or receiver_service.today_here().year
    receiver_service.prepare_figures(session, progress)
    db = session.db()
    key_rows, village_rows = pack(store.aggregate_figures(db, year))
    signing = keys.signing_private_key(db)
    if signing is None:
        raise BundleError(_("This receiver file has no encryption key."), code="not_receiver")
    villages = sum(regions.counts(code).get(kind, 0) for kind in ("desa", "kelurahan"))
    seq = store.next_aggregate_seq(db)
    made = utc_now_iso()
    enrolled = store.enrolled_count(db)
    data = build_aggregate(
        signing, province=code, year=year, seq=seq, made_utc=made, enrolled=enrolled,
        sender=receiver_service.own_profile(session).name, key_rows=key_rows,
        village_rows=village_rows, schema_version=migrations.schema_version(db))
    name = f"KT-AGREGAT-{code}-{year}-{seq:04d}{documents.AGGREGATE_EXTENSION}"
    path = transport.write_to_folder(data, out_dir, name)
    store.save_aggregate_out(db, seq=seq, year=year, sha256=hashlib.sha256(data).hexdigest(),
                             made_utc=made, file_name=name)
    figures = sum(text.count(";") + 1 for _village, text in village_rows if text)
    return MadeAggregate(path=path, seq=seq, year=year, province=code, villages=villages,
                         enrolled=enrolled, rows=figures, bytes=len(data))


def build_aggregate(
    signing: Any, *, province: str, year: int, seq: int, made_utc: str, enrolled: int,
    sender: str, key_rows: Sequence[tuple[int, str, str]],
    village_rows: Sequence[tuple[str, str]], schema_version: int,
) -> bytes:
    """The signed aggregate file (clear envelope: nothing personal inside)."""
    region = regions.get(province)
    villages = sum(regions.counts(province).get(kind, 0) for kind in ("desa", "kelurahan"))
    payload = {"province": province, "name": region.name if region else province,
               "year": year, "villages": villages, "enrolled": enrolled, "made_utc": made_utc}
    return documents.build(
        documents.AGGREGATE, village_code=documents.ANY_VILLAGE, seq=seq, payload=payload,
        signing_key=signing, created_utc=made_utc, schema_version=schema_version,
        sender=sender, tags={documents.AREA_TAG: province},
        tables=[write.TableRows(KEYS_TABLE, ["id", "metric", "key"], list(key_rows)),
                write.TableRows(VILLAGES_TABLE, ["village_code", "figures"],
                                list(village_rows))],
    )


def pack(
    figures: Iterable[store.Figure],
) -> tuple[list[tuple[int, str, str]], list[tuple[str, str]]]:
    """The aggregate's two tables: the figures' names once (id, metric, key), and one row
    per village with twelve monthly values per figure, ``"id:v1,...,v12;id:..."`` (an empty
    value: nothing counted that month).

    Why so dense: Jawa Tengah's year is some 3 million figures; one JSON object each would
    be about 16 MB even compressed, this is a few MB (the goal is ≤ 5 MB a province-year).
    """
    names: dict[tuple[str, str], int] = {}
    villages: dict[str, dict[int, list[int | None]]] = {}
    for village, month, metric, key, value in figures:
        index = names.setdefault((metric, key), len(names))
        months = villages.setdefault(village, {}).setdefault(index, [None] * 12)
        months[month - 1] = value
    key_rows = [(index, metric, key) for (metric, key), index in names.items()]
    village_rows = [
        (village, ";".join(
            f"{index}:" + ",".join("" if value is None else str(value) for value in months)
            for index, months in sorted(items.items())))
        for village, items in sorted(villages.items())
    ]
    return key_rows, village_rows


# -- the national side ------------------------------------------------------------------------
def _files(inputs: Sequence[ImportInput]) -> list[tuple[str, Path | None, bytes | None]]:
    found: list[tuple[str, Path | None, bytes | None]] = []
    for given in inputs:
        if isinstance(given, tuple):
            found.append((given[0], None, given[1]))
            continue
        path = Path(given)
        if path.is_dir():
            found += [(p.name, p, None) for p in sorted(path.rglob("*"))
                      if p.is_file() and p.suffix.lower() == documents.AGGREGATE_EXTENSION]
        else:
            found.append((path.name, path, None))
    return found


def import_aggregates(session: Session, inputs: Sequence[ImportInput],
                      **options: Unpack[ImportOptions]) -> ImportReport:
    """Import provinces' aggregates into a national file: one summary per file.

    Each is checked like a bundle (envelope, signature, hashes), then: a province code, the
    key pinned on the province's first aggregate, a number above the last one accepted (an
    older one is a replay), and every figure's village inside that province. A refusal
    changes nothing; an accepted aggregate replaces the province's figures of its year.
    """
    dry_run = options.get("dry_run", False)
    progress = options.get("progress") or no_progress()
    db = session.db()
    files = _files(inputs)
    summaries: list[BundleSummary] = []
    for position, (source, path, data) in enumerate(files):
        progress.step(position, len(files), _("Importing {file}…").format(file=source))
        summary = BundleSummary(source=source, status=REFUSED,
                                origin=str(path) if path is not None else "")
        try:
            if data is None and path is not None:
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise BundleError(_("{file} cannot be read: {reason}").format(
                        file=source, reason=exc.strerror or exc), code="unreadable") from None
            accepted = _check(db, data or b"", source, summary, options.get("trust_new", False))
            if accepted is not None and not dry_run:
                store.save_import(db, accepted)
                summary.status = IMPORTED
            elif accepted is not None:
                summary.status = IMPORTED
        except BundleError as exc:
            summary.status = REFUSED
            summary.error_code = exc.code
            summary.message = exc.message
        summaries.append(summary)
    return ImportReport(bundles=summaries, dry_run=dry_run)


def _check(
    db: Any, data: bytes, source: str, summary: BundleSummary, trust_new: bool | TrustNew,
) -> store.Accepted | None:
    """Every check of one aggregate; the figures to write, or None when already imported
    (``summary`` says so). Raises :class:`BundleError` for a refusal."""
    document = documents.open_document(data, source=source, kind=documents.AGGREGATE,
                                       limits=LIMITS)
    payload = document.payload
    code = document.info.extra.get(documents.AREA_TAG, "")
    region = regions.get(code)
    if region is None or region.level != 1 or payload.get("province") != code:
        raise documents.damaged(source, documents.AGGREGATE)
    fingerprint = keys.fingerprint(document.info.signing_key)
    summary.village_code, summary.village_name = code, region.name
    summary.seq, summary.fingerprint, summary.full = document.info.bundle_seq, fingerprint, True
    prior = store.imported_on(db, document.sha256)
    if prior is not None:
        summary.status = ALREADY
        summary.message = _("Already imported on {date}; nothing changed.").format(
            date=prior[2][:10])
        return None
    known = store.province(db, code)
    public = base64.b64encode(document.info.signing_key).decode("ascii")
    if known is not None and known.public_key != public:
        raise BundleError(_(
            "{file} claims to come from the province of {province} but is signed with "
            "another key (fingerprint {found}; expected {pinned}). It is refused: call the "
            "province and compare the key.").format(
                file=source, province=region.name, found=fingerprint, pinned=known.fingerprint),
            code="wrong_key")
    if known is not None and document.info.bundle_seq <= known.last_seq:
        raise BundleError(_(
            "{file} is aggregate number {seq} of {province}, but number {last} was already "
            "imported: it is an older copy (replay) and is refused. Ask the province for its "
            "newest aggregate.").format(file=source, seq=document.info.bundle_seq,
                                        province=region.name, last=known.last_seq),
            code="replay")
    if known is None:
        newcomer = NewVillage(code=code, name=region.name, region=region.name,
                              fingerprint=fingerprint, seq=document.info.bundle_seq)
        if not (trust_new(newcomer) if callable(trust_new) else bool(trust_new)):
            raise BundleError(_(
                "{file} is the first aggregate of the province of {province} (key fingerprint "
                "{fingerprint}); it was not accepted. Compare the fingerprint with the "
                "province, then accept it.").format(file=source, province=region.name,
                                                     fingerprint=fingerprint),
                code="untrusted")
        summary.new_village = True
    try:
        year = int(payload["year"])
        figures, totals, active = _unpack(document.tables, code)
        accepted = store.Accepted(
            province=store.KnownProvince(code, region.name, public, fingerprint,
                                         document.info.bundle_seq),
            seq=document.info.bundle_seq, year=year, sha256=document.sha256,
            made_utc=document.info.created_utc, received_at=utc_now_iso(),
            villages=int(payload["villages"]), enrolled=int(payload["enrolled"]),
            file_name=source, village_figures=figures, totals=totals, active=active)
    except (KeyError, ValueError, TypeError, UnicodeDecodeError):
        raise documents.damaged(source, documents.AGGREGATE) from None
    summary.message = _("{count} figures of {year}").format(
        count=sum(1 for value in totals.values() if value), year=year)
    return accepted


def _unpack(
    tables: dict[str, bytes], province: str,
) -> tuple[dict[str, str], dict[tuple[int, str, str], int], dict[int, int]]:
    """The villages' figures as they came, the province's sums by (month, metric, key) and
    its villages active per month (0: the year), every part checked: known metrics, a
    village of the province, once, twelve whole numbers per figure. Anything else makes
    the file damaged (it was signed so)."""
    names: dict[int, tuple[str, str]] = {}
    for line in tables[KEYS_TABLE].decode("utf-8").splitlines():
        item = json.loads(line)
        index, metric, key = item["id"], str(item["metric"]), str(item["key"])
        if not isinstance(index, int) or metric not in store.METRICS or len(key) > 100 \
                or index in names:
            raise ValueError(line[:80])
        names[index] = (metric, key)
    prefix = f"{province}."
    figures: dict[str, str] = {}
    totals: dict[tuple[int, str, str], int] = {}
    active: dict[int, set[str]] = {}
    for line in tables[VILLAGES_TABLE].decode("utf-8").splitlines():
        item = json.loads(line)
        village, text = str(item["village_code"]), str(item["figures"])
        if not village.startswith(prefix) or len(village) != 13 or village in figures:
            raise ValueError(village)
        figures[village] = text
        for part in text.split(";") if text else ():
            index_text, _sep, values = part.partition(":")
            metric, key = names[int(index_text)]
            months = values.split(",")
            if len(months) != 12:
                raise ValueError(part[:40])
            for month, value_text in enumerate(months, start=1):
                if not value_text:
                    continue
                if not value_text.isdigit() or len(value_text) > 15:
                    raise ValueError(value_text)
                value = int(value_text)
                totals[(month, metric, key)] = totals.get((month, metric, key), 0) + value
                if metric == "act" and value:
                    active.setdefault(month, set()).add(village)
                    active.setdefault(0, set()).add(village)
    return figures, totals, {month: len(found) for month, found in active.items()}


# -- the national recap -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NationalRecap:
    year: int
    month: int | None
    provinces: list[store.ProvinceLine]

    def total(self, metric: str, key: str | None = None) -> int:
        return sum(value for line in self.provinces for (m, k), value in line.figures.items()
                   if m == metric and (key is None or k == key))

    @property
    def villages(self) -> int:
        return sum(line.villages for line in self.provinces)

    @property
    def enrolled(self) -> int:
        return sum(line.enrolled for line in self.provinces)

    @property
    def reporting(self) -> int:
        return sum(line.reporting for line in self.provinces)


def recap_years(session: Session) -> list[int]:
    """The years of which an aggregate was imported, newest first."""
    return store.years(session.db())


def national_recap(session: Session, year: int | None = None,
                   month: int | None = None) -> NationalRecap:
    """The sums of every province's newest aggregate of ``year`` (default: the newest year)."""
    if not is_national(session):
        raise ValidationError(_("The national recap is made in a national receiver file "
                                "(kt-desktop init --national)."), code="not_national")
    db = session.db()
    if year is None:
        known = store.years(db)
        year = known[0] if known else clock.today().year
    return NationalRecap(year=year, month=month, provinces=store.recap(db, year, month))


def recap_dict(recap: NationalRecap) -> dict[str, object]:
    """The recap for ``--json``: per province and the national total."""
    def figures(items: dict[tuple[str, str], int]) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (metric, key), value in sorted(items.items()):
            out.setdefault(metric, {})[key] = value
        return out

    total: dict[tuple[str, str], int] = {}
    for line in recap.provinces:
        for item, value in line.figures.items():
            total[item] = total.get(item, 0) + value
    return {
        "year": recap.year, "month": recap.month, "provinces": len(recap.provinces),
        "villages": recap.villages, "enrolled": recap.enrolled, "reporting": recap.reporting,
        "total": figures(total),
        "by_province": [{"code": line.code, "name": line.name, "villages": line.villages,
                         "enrolled": line.enrolled, "reporting": line.reporting,
                         "figures": figures(line.figures)} for line in recap.provinces],
    }


def recap_lines(recap: NationalRecap) -> list[str]:
    """The recap as the officer reads it: one line per province, then Indonesia."""
    from kt_desktop.domain.formats import number, rupiah

    period = f"{recap.year}-{recap.month:02d}" if recap.month else str(recap.year)
    lines = [_("National recap {period}: {count} provinces").format(
        period=period, count=len(recap.provinces))]
    if not recap.provinces:
        return [*lines, _("No province's aggregate of {year} was imported yet.").format(
            year=recap.year)]
    for line in recap.provinces:
        acts = sum(v for (m, _k), v in line.figures.items() if m == "act")
        bens = sum(v for (m, _k), v in line.figures.items() if m == "ben")
        funds = sum(v for (m, _k), v in line.figures.items() if m == "fund")
        lines.append(_("  {name}: {reporting} of {villages} villages active, {acts} "
                       "activities, {bens} beneficiaries, funds {funds}").format(
            name=line.name, reporting=number(line.reporting), villages=number(line.villages),
            acts=number(acts), bens=number(bens), funds=rupiah(funds)))
    lines.append(_("Indonesia: {reporting} of {villages} villages active, {acts} activities, "
                   "{bens} beneficiaries, {trainings} trainings, {graduates} graduates, "
                   "funds {funds}").format(
        reporting=number(recap.reporting), villages=number(recap.villages),
        acts=number(recap.total("act")), bens=number(recap.total("ben")),
        trainings=number(recap.total("train", "trainings")),
        graduates=number(recap.total("train", "graduates")),
        funds=rupiah(recap.total("fund"))))
    sources: dict[str, int] = {}
    for line in recap.provinces:
        for (metric, key), value in line.figures.items():
            if metric == "fund":
                sources[key] = sources.get(key, 0) + value
    lines += [_("  funds from {source}: {amount}").format(source=source or "-",
                                                          amount=rupiah(amount))
              for source, amount in sorted(sources.items())]
    return lines
