"""A bundle read, opened, verified and its rows checked, in a process of its own.

A province's first import spends about 40 % of its time in steps that need no data file:
decrypting, checking the signature and hashes, and checking every row against the schema
(:func:`kt_desktop.bundles.read.parse_rows`). The rest is SQLite writing the rows. On two
cores the two can overlap: while the importing process writes one village's rows, a helper
process prepares the next villages' bundles (:class:`Preparer`).

Threads do not help here (measured slower: ``executemany`` gives the GIL up for every row),
so the helper is a process, started the way Windows starts one (``spawn``), for the large
imports only (:mod:`kt_desktop.store.bulk_import`).

Nothing changes in what is accepted or refused, nor in which reason is given when several
apply: the helper only records at which step a bundle failed (:class:`Prepared`), and the
importing process raises that error at the same point of its own checks as it would have
met it. A file whose preparation crashed the helper is prepared again in the importing
process, so an unexpected error surfaces exactly as without the helper.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kt_desktop import i18n
from kt_desktop.bundles import crypto, documents, read
from kt_desktop.bundles.errors import BundleError
from kt_desktop.domain.errors import reason_text
from kt_desktop.i18n import _

log = logging.getLogger(__name__)

#: The steps, in the order the importing process checks them.
LOAD, OPEN, VERIFY, PARSE = "load", "open", "verify", "parse"

#: How many rows (as the bag-infos announce them) may wait prepared: enough to keep the
#: writer busy, little enough that the parsed rows of waiting bundles stay a few MB.
AHEAD_ROWS = 60_000


@dataclass(slots=True)
class Prepared:
    """What the helper made of one bundle, or the step it stopped at and why."""

    digest: str = ""  # SHA-256 of the opened bag (what "already imported" is looked up by)
    route: documents.RelayRoute | None = None
    bag: read.VerifiedBag | None = None  # its table files and attachments dropped
    tables: list[read.ParsedTable] | None = None
    failed_at: str = ""  # LOAD, OPEN, VERIFY or PARSE
    error: tuple[str, str, list[str]] | None = None  # message, code, details
    crashed: bool = False  # an error that is not a refusal: prepare it again in-process

    def raise_at(self, step: str) -> None:
        """Raise the refusal met at ``step``, if that is where this bundle failed."""
        if self.failed_at == step and self.error is not None:
            message, code, details = self.error
            raise BundleError(message, code=code, details=details)


def _refusal(exc: BundleError) -> tuple[str, str, list[str]]:
    return (exc.message, exc.code, list(getattr(exc, "details", [])))


_KEYS: dict[bytes, X25519PrivateKey] = {}


def _key(raw: bytes | None) -> X25519PrivateKey | None:
    if raw is None:
        return None
    if raw not in _KEYS:
        _KEYS.clear()
        _KEYS[raw] = X25519PrivateKey.from_private_bytes(raw)
    return _KEYS[raw]


def key_bytes(key: X25519PrivateKey | None) -> bytes | None:
    """The receiver's private key as bytes, for the helper (our own child process)."""
    if key is None:
        return None
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def open_envelope(
    data: bytes, receiver_key: X25519PrivateKey | None, source: str
) -> tuple[crypto.Opened, documents.RelayRoute | None]:
    """The envelope opened; for a relay (a bundle a kabupaten passed on), the village's
    bundle inside opened instead, with the way it came. Its village signature is checked
    next, exactly as if it had come straight."""
    opened = crypto.open_envelope(data, receiver_key, source=source)
    if documents.kind_of(opened.bag) != documents.RELAY:
        return opened, None
    inner, route = documents.unwrap_relay(opened.bag, source=source)
    return crypto.open_envelope(inner, receiver_key, source=source), route


def read_error(source: str, exc: OSError) -> BundleError:
    """The refusal of a file that cannot be read, with the system's reason in Indonesian."""
    return BundleError(
        _("{file} cannot be read: {reason}").format(file=source, reason=reason_text(exc)),
        code="unreadable",
    )


def read_file(path: Path, source: str, limits: read.Limits) -> bytes:
    """A bundle's bytes, refused when larger than ``limits`` allow."""
    try:
        if path.stat().st_size > limits.max_bundle_bytes:
            raise read.too_large(source, limits)
        with path.open("rb") as handle:
            data = handle.read(limits.max_bundle_bytes + 1)
    except OSError as exc:
        raise read_error(source, exc) from exc
    if len(data) > limits.max_bundle_bytes:
        raise read.too_large(source, limits)
    return data


@dataclass(frozen=True, slots=True)
class Job:
    """One bundle to prepare: a file the helper reads itself, or bytes already read."""

    source: str
    path: Path | None
    data: bytes | None
    rows: int  # announced by its bag-info (for the window ahead); not trusted


def prepare(
    job: Job,
    key: bytes | None,
    schema: Mapping[str, read.TableSchema],
    limits: read.Limits,
    language: str,
) -> Prepared:
    """Every step of a bundle's import that needs no data file (runs in the helper)."""
    if i18n.language() != language:
        i18n.set_language(language)
    done = Prepared()
    step = LOAD
    try:
        if job.data is None:
            assert job.path is not None
            data = read_file(job.path, job.source, limits)
        elif len(job.data) > limits.max_bundle_bytes:
            raise read.too_large(job.source, limits)
        else:
            data = job.data
        step = OPEN
        opened, done.route = open_envelope(data, _key(key), job.source)
        done.digest = hashlib.sha256(opened.bag).hexdigest()
        step = VERIFY
        bag = read.verify_bag(
            opened.bag, source=job.source, encrypted=opened.encrypted, limits=limits
        )
        done.bag = replace(bag, tables={}, attachments={})
        step = PARSE
        done.tables = read.parse_rows(bag, schema, source=job.source, limits=limits)
    except BundleError as exc:
        done.failed_at, done.error = step, _refusal(exc)
    except Exception:  # not a refusal: the importing process meets it again itself
        log.exception("preparing %s failed at %s", job.source, step)
        done.crashed = True
    return done


class Preparer:
    """Bundles prepared ahead, in order, by one helper process.

    ``get(position)`` returns the :class:`Prepared` of the job at that position, or None
    when the helper could not do it (it could not start, it died, or the bundle crashed
    it; a job given as None): the caller then takes every step itself. Jobs are sent ahead while the rows they
    announce stay within :data:`AHEAD_ROWS` (at least one)."""

    def __init__(
        self,
        jobs: Iterable[Job | None],
        *,
        key: bytes | None,
        schema: Mapping[str, read.TableSchema],
        limits: read.Limits,
        executor: Callable[[], ProcessPoolExecutor] | None = None,
    ) -> None:
        self._jobs = list(jobs)
        self._args = (key, dict(schema), limits, i18n.language())
        self._sent: deque[tuple[int, Future[Prepared]]] = deque()
        self._next = 0
        self._pool: ProcessPoolExecutor | None = None
        try:
            self._pool = (executor or _spawn_pool)()
        except Exception:  # no helper: every step in-process, as before
            log.exception("no helper process for the import; preparing in-process")

    def _fill(self) -> None:
        if self._pool is None:
            return
        ahead = sum(self._rows(position) for position, _f in self._sent)
        while self._next < len(self._jobs) and (
            not self._sent or ahead + self._rows(self._next) <= AHEAD_ROWS
        ):
            job = self._jobs[self._next]
            if job is None:  # refused before it could be read: nothing to prepare
                self._next += 1
                continue
            try:
                future = self._pool.submit(prepare, job, *self._args)
            except Exception:  # a broken pool: the rest in-process
                log.exception("the import's helper process stopped")
                self.close()
                return
            self._sent.append((self._next, future))
            ahead += job.rows
            self._next += 1

    def _rows(self, position: int) -> int:
        job = self._jobs[position]
        return job.rows if job is not None else 0

    def get(self, position: int) -> Prepared | None:
        """The prepared job at ``position`` (positions are asked for in order)."""
        self._fill()
        while self._sent and self._sent[0][0] < position:  # skipped (never asked for)
            self._sent.popleft()[1].cancel()
        if not self._sent or self._sent[0][0] != position:
            return None
        _position, future = self._sent.popleft()
        try:
            done = future.result()
        except Exception:  # the helper died: the rest in-process
            log.exception("the import's helper process stopped")
            self.close()
            return None
        self._fill()
        return None if done.crashed else done

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._sent.clear()

    def __enter__(self) -> Preparer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _leave_with_the_parent() -> None:
    """In the helper: end it when the importing process ends, even killed. (The helper holds
    both ends of its job queue, so a dead parent never shows there as the end of input.)"""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=lambda: (parent.join(), os._exit(0)), daemon=True).start()


def helper_pool() -> ProcessPoolExecutor:
    """One helper process, started fresh (``spawn``: as on Windows, and safe from a thread
    of a Qt program, which ``fork`` is not)."""
    return ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn"),
        initializer=_leave_with_the_parent,
    )


def _spawn_pool() -> ProcessPoolExecutor:
    """The helper of an import, where a second core can run it."""
    if (os.cpu_count() or 1) < 2:
        raise RuntimeError("one core: a helper process would only take turns with us")
    return helper_pool()
