"""The Karang Taruna's own identity: what the letterhead and the signature block print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kt_desktop.domain.errors import ValidationError
from kt_desktop.i18n import N_, _

#: What each text field of the profile may hold, with the words that name it in a refusal.
#: Every letterhead, signature block and bundle prints these: a Ketua's name of 3,000
#: characters overflowed the page of every report, a name over 1,000 every bundle. The
#: limits are generous for real names (with titles: "H. Drs. ..., S.Pd., M.Si.").
MAX_LENGTHS: dict[str, tuple[int, str]] = {
    "name": (150, N_("The name of the Karang Taruna")),
    "short_name": (12, N_("The short name")),  # part of every certificate number
    "street": (200, N_("The street")),
    "rt": (3, N_("The RT")),
    "rw": (3, N_("The RW")),
    "dusun": (100, N_("The dusun/kampung")),
    "postal_code": (5, N_("The postal code")),
    "phone": (30, N_("The telephone number")),
    "email": (254, N_("The e-mail address")),
    "ketua": (100, N_("The Ketua's name")),
    "sekretaris": (100, N_("The Sekretaris's name")),
    "bendahara": (100, N_("The Bendahara's name")),
    "kepala_desa": (100, N_("The Kepala Desa's or Lurah's name")),
    "sk_number": (100, N_("The SK number")),
}


def max_length(name: str) -> int:
    """How many characters the profile field ``name`` may hold (the form's maximum)."""
    return MAX_LENGTHS[name][0]


@dataclass(slots=True)
class Profile:
    """One row per village file. Dates are ``datetime.date`` or None."""

    name: str = ""
    short_name: str = ""
    village_code: str = ""
    street: str = ""
    rt: str = ""
    rw: str = ""
    dusun: str = ""
    postal_code: str = ""
    phone: str = ""
    email: str = ""
    ketua: str = ""
    sekretaris: str = ""
    bendahara: str = ""
    kepala_desa: str = ""
    sk_number: str = ""
    sk_date: dt.date | None = None
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    logo: bytes | None = field(default=None, repr=False)
    logo_mime: str | None = None
    id: str | None = None
    version: int = 0

    def check_lengths(self) -> None:
        """Refuse a field longer than :data:`MAX_LENGTHS` allows, naming it and its limit."""
        for name, (limit, label) in MAX_LENGTHS.items():
            count = len(getattr(self, name).strip())
            if count > limit:
                raise ValidationError(
                    _("{field} can hold at most {limit} characters (it now has {count}).").format(
                        field=_(label), limit=limit, count=count
                    ),
                    field=name,
                    code="too_long",
                )

    def validate(self) -> None:
        """Refuse what would print a wrong letterhead; the first bad field is named."""
        self.check_lengths()
        if not self.name.strip():
            raise ValidationError(_("The name of the Karang Taruna is required."), field="name")
        for label, value, name in (
            (_("RT"), self.rt, "rt"),
            (_("RW"), self.rw, "rw"),
            (_("Postal code"), self.postal_code, "postal_code"),
        ):
            if value and not value.strip().isdigit():
                raise ValidationError(
                    _("{field} may only contain digits.").format(field=label), field=name
                )
        if self.postal_code and len(self.postal_code.strip()) != 5:
            raise ValidationError(_("A postal code has 5 digits."), field="postal_code")
        if self.email and ("@" not in self.email or " " in self.email.strip()):
            raise ValidationError(_("The e-mail address is not valid."), field="email")
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            raise ValidationError(
                _("The end of the term (masa bakti) must come after its start."),
                field="term_end",
            )

    def term_days_left(self, today: dt.date) -> int | None:
        """Days until the masa bakti ends (negative once it has), None when unknown."""
        return (self.term_end - today).days if self.term_end else None
