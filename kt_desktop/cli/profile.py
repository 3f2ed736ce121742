"""``kt-desktop profile show|set``: the Karang Taruna's profile without the GUI.

    kt-desktop profile show [--json]
    kt-desktop profile set [--ketua NAME] [--sekretaris NAME] [--kepala-desa NAME] ...

``set`` changes only the fields given (an empty value clears a field) and saves through the
same service and rules as Pengaturan → Profil, so a report made from the command line has
the same letterhead and signatures as one made in the GUI. The village itself cannot be
changed: it is fixed when the file is made.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from typing import Any

from kt_desktop import regions
from kt_desktop.cli import data_session, emit, iso_date
from kt_desktop.domain.formats import date_long
from kt_desktop.i18n import N_, _

#: (Profile attribute, option, label) of every text field ``set`` can change, in form order.
TEXT_FIELDS: list[tuple[str, str, str]] = [
    ("name", "--name", N_("Name")),
    ("short_name", "--short-name", N_("Short name")),
    ("street", "--street", N_("Street")),
    ("rt", "--rt", N_("RT")),
    ("rw", "--rw", N_("RW")),
    ("dusun", "--dusun", N_("Dusun/kampung")),
    ("postal_code", "--postal-code", N_("Postal code")),
    ("phone", "--phone", N_("Telephone")),
    ("email", "--email", N_("E-mail")),
    ("ketua", "--ketua", N_("Ketua")),
    ("sekretaris", "--sekretaris", N_("Sekretaris")),
    ("bendahara", "--bendahara", N_("Bendahara")),
    ("kepala_desa", "--kepala-desa", N_("Kepala Desa/Lurah")),
    ("sk_number", "--sk-number", N_("SK number")),
]
#: The same for dates (YYYY-MM-DD; an empty value clears the date).
DATE_FIELDS: list[tuple[str, str, str]] = [
    ("sk_date", "--sk-date", N_("SK date")),
    ("term_start", "--term-start", N_("Masa bakti from")),
    ("term_end", "--term-end", N_("Masa bakti until")),
]


_UNSET = object()


def _optional_date(text: str) -> dt.date | None:
    return None if not text.strip() else iso_date(text)


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    profile = subparsers.add_parser(
        "profile", parents=[common], help=_("show or change the Karang Taruna's profile")
    )
    actions = profile.add_subparsers(dest="profile_action", metavar=_("ACTION"))
    show = actions.add_parser("show", parents=[common], help=_("print the profile"))
    show.set_defaults(handler=_show)
    change = actions.add_parser(
        "set", parents=[common],
        help=_("change the fields given (an empty value clears a field)"),
    )
    for attribute, option, label in TEXT_FIELDS:
        change.add_argument(option, dest=attribute, metavar=_("TEXT"),
                            default=argparse.SUPPRESS,
                            help=_(label))
    for attribute, option, label in DATE_FIELDS:
        change.add_argument(option, dest=attribute, metavar="YYYY-MM-DD",
                            default=argparse.SUPPRESS,
                            type=_optional_date, help=_(label))
    change.set_defaults(handler=_set)
    profile.set_defaults(handler=lambda _args: _usage(profile))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _summary(profile: Any) -> tuple[dict[str, Any], list[str]]:
    """The profile as JSON and as the lines ``show`` and ``set`` print."""
    data: dict[str, Any] = {"village_code": profile.village_code}
    place = regions.get(profile.village_code) if profile.village_code else None
    lines = [_("Region: {code} {name}").format(
        code=profile.village_code,
        name=regions.full_name(profile.village_code) if place else "",
    ).rstrip()]
    for attribute, _option, label in TEXT_FIELDS:
        value = getattr(profile, attribute)
        data[attribute] = value
        lines.append(f"  {_(label)}: {value or '—'}")
    for attribute, _option, label in DATE_FIELDS:
        value = getattr(profile, attribute)
        data[attribute] = value.isoformat() if value else None
        lines.append(f"  {_(label)}: {date_long(value) if value else '—'}")
    data["logo"] = profile.logo is not None
    return data, lines


def _show(args: argparse.Namespace) -> int:
    from kt_desktop.services.profile import load_profile

    with data_session(args) as session:
        profile = load_profile(session)
    data, lines = _summary(profile)
    emit(args, data, lines)
    return 0


def _set(args: argparse.Namespace) -> int:
    from kt_desktop.services.profile import load_profile, save_profile

    changes = {
        attribute: value.strip() if isinstance(value, str) else value
        for attribute, _option, _label in TEXT_FIELDS + DATE_FIELDS
        if (value := getattr(args, attribute, _UNSET)) is not _UNSET
    }
    with data_session(args) as session:
        profile = load_profile(session)
        if changes:
            profile = save_profile(session, dataclasses.replace(profile, **changes))
    data, lines = _summary(profile)
    head = _("Profile saved:") if changes else _("Nothing to change; the profile is:")
    emit(args, data, [head, *lines])
    return 0
