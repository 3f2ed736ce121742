"""An optional PIN asked when the program opens, for a laptop shared in the village office.

What it protects: someone else at the laptop opening KT Desktop and reading or changing the
register. What it does not: the data file itself is not encrypted, so anyone who copies the
file (or uses the command line) can read it; docs/RELIABILITY.md says so plainly.

The PIN is never stored: only ``scrypt$n$r$p$salt$hash`` in the file's settings (the PIN
belongs to the data file, so it moves with it). Wrong attempts are counted in the file too,
so restarting the program does not reset them: after 5 wrong PINs each further try waits
30 seconds, doubling up to 15 minutes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from kt_desktop.domain import clock
from kt_desktop.domain.errors import KtError, ValidationError
from kt_desktop.i18n import _, ngettext
from kt_desktop.services.session import Session
from kt_desktop.store import audit, settings

log = logging.getLogger(__name__)

PIN_HASH = "pin.hash"
PIN_FAILURES = "pin.failures"
PIN_LOCKED_UNTIL = "pin.locked_until"

MIN_LENGTH = 4
MAX_LENGTH = 12
FREE_ATTEMPTS = 5
FIRST_WAIT = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(minutes=15)

# scrypt: 16 MiB and about 50 ms per try on an old laptop; the stored text names the
# parameters, so they can be raised later without making old PINs unreadable.
_N, _R, _P, _DKLEN = 2**14, 8, 1, 32


class PinLocked(KtError):
    """Too many wrong PINs: ``seconds`` until the next try is allowed."""

    code = "pin_locked"

    def __init__(self, seconds: int) -> None:
        super().__init__(
            ngettext(
                "Too many wrong PINs. Try again in {n} second.",
                "Too many wrong PINs. Try again in {n} seconds.",
                seconds,
            ).format(n=seconds)
        )
        self.seconds = seconds


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    import secrets  # here: the start-up asks only whether a PIN is set (issue 16)

    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=_DKLEN)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


class ForeignPin(KtError):
    """The stored PIN text was not written by this program (other scrypt parameters)."""

    code = "pin_foreign"

    def __init__(self) -> None:
        super().__init__(
            _(
                "The PIN stored in this data file was not made by KT Desktop, so it is not "
                "checked. Remove it with 'kt-desktop pin-reset', then set a new PIN."
            )
        )


def _parse(stored: str) -> tuple[bytes, bytes]:
    """(salt, digest) of a :func:`hash_pin` text with the program's own parameters.

    The data file may come from someone else: scrypt parameters chosen by the file (p=100
    costs seconds per try, a large n gigabytes) are refused, never run.
    """
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        salt, digest = bytes.fromhex(salt_hex), bytes.fromhex(digest_hex)
    except ValueError:
        raise ForeignPin() from None
    if (scheme, n, r, p) != ("scrypt", str(_N), str(_R), str(_P)) or len(salt) != 16 or len(
        digest
    ) != _DKLEN:
        raise ForeignPin()
    return salt, digest


def matches(pin: str, stored: str) -> bool:
    """Constant-time comparison of ``pin`` with a :func:`hash_pin` text; False for a text
    this program did not write (:func:`verify` says so instead)."""
    try:
        salt, expected = _parse(stored)
    except ForeignPin:
        return False
    import hmac

    got = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=_DKLEN)
    return hmac.compare_digest(got, expected)


def validate_new(pin: str) -> None:
    if not pin.isdigit() or not MIN_LENGTH <= len(pin) <= MAX_LENGTH:
        raise ValidationError(
            _("A PIN is {low} to {high} digits.").format(low=MIN_LENGTH, high=MAX_LENGTH),
            field="pin",
            code="bad_pin",
        )


def is_set(session: Session) -> bool:
    return bool(session.setting(PIN_HASH))


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or clock.now_utc()


def wait_seconds(session: Session, *, now: dt.datetime | None = None) -> int:
    """Seconds before the next try is allowed (0: now)."""
    until = settings.get(session.db(), PIN_LOCKED_UNTIL)
    if not until:
        return 0
    try:
        moment = dt.datetime.fromisoformat(until)
        left = (moment - _now(now)).total_seconds()
    except (ValueError, TypeError, OverflowError):  # not a time the program wrote
        log.warning("pin.locked_until %r is not a time; ignored", until[:40])
        return 0
    # Never longer than the program itself makes anyone wait (a crafted year 9999).
    left = min(left, LONGEST_WAIT.total_seconds())
    return max(0, int(left + 0.999))


def _failures(session: Session) -> int:
    """Wrong PINs so far; a value the program did not write counts as the free tries used."""
    value = settings.get(session.db(), PIN_FAILURES) or "0"
    return int(value) if value.isdigit() and len(value) < 10 else FREE_ATTEMPTS


def _wait_after(failures: int) -> dt.timedelta:
    if failures < FREE_ATTEMPTS:
        return dt.timedelta(0)
    doublings = min(failures - FREE_ATTEMPTS, 16)  # 2**16 * 30 s is past the cap already
    return min(FIRST_WAIT * (2**doublings), LONGEST_WAIT)


def verify(session: Session, pin: str, *, now: dt.datetime | None = None) -> bool:
    """True for the right PIN (or when no PIN is set); counts and rate-limits wrong ones.

    Raises :class:`PinLocked` while a wait is running, before the PIN is even compared.
    """
    db = session.db()
    stored = settings.get(db, PIN_HASH)
    if not stored:
        return True
    left = wait_seconds(session, now=now)
    if left:
        raise PinLocked(left)
    _parse(stored)  # raises ForeignPin: the program's own parameters only
    ok = matches(pin, stored)
    with db.atomic():
        if ok:
            settings.put(db, PIN_FAILURES, "0")
            settings.put(db, PIN_LOCKED_UNTIL, None)
        else:
            failures = _failures(session) + 1
            settings.put(db, PIN_FAILURES, str(failures))
            wait = _wait_after(failures)
            settings.put(db, PIN_LOCKED_UNTIL, (_now(now) + wait).isoformat() if wait else None)
    return ok


def _require_current(session: Session, current: str | None) -> None:
    if is_set(session) and not verify(session, current or ""):
        raise ValidationError(_("The current PIN is wrong."), field="current_pin", code="wrong_pin")


def set_pin(session: Session, new: str, *, current: str | None = None) -> None:
    """Set or change the PIN; changing needs the current one."""
    validate_new(new)
    _require_current(session, current)
    db = session.db()
    changed = is_set(session)
    with db.atomic():
        settings.put(db, PIN_HASH, hash_pin(new))
        settings.put(db, PIN_FAILURES, "0")
        settings.put(db, PIN_LOCKED_UNTIL, None)
        audit.record(
            db, "update", "settings", "pin", actor=session.actor(),
            detail=_("PIN changed") if changed else _("PIN set"),
        )


def remove_pin(session: Session, current: str) -> None:
    """Stop asking for a PIN (needs the current one)."""
    _require_current(session, current)
    _clear(session, detail=_("PIN removed"))


def reset_pin(session: Session) -> None:
    """Forget the PIN without it (``kt-desktop pin-reset``, for a forgotten PIN); audited.

    This is why the PIN is no protection against someone with the command line: it guards
    the window, not the file.
    """
    _clear(session, detail=_("PIN reset from the command line"))


def _clear(session: Session, *, detail: str) -> None:
    db = session.db()
    with db.atomic():
        settings.put(db, PIN_HASH, None)
        settings.put(db, PIN_FAILURES, "0")
        settings.put(db, PIN_LOCKED_UNTIL, None)
        audit.record(db, "update", "settings", "pin", actor=session.actor(), detail=detail)
