"""The Karang Taruna's own identity: what the letterhead and the signature block print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kt_desktop.domain.errors import ValidationError
from kt_desktop.i18n import _


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

    def validate(self) -> None:
        """Refuse what would print a wrong letterhead; the first bad field is named."""
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
