"""Date lines of clippings: ``Published February 16, 2023``, ``Updated Thu, November 2, 2023``.

A date line is a line that is only a date, perhaps with a time, after an optional lead-in
that says which date it is (``Published``, ``Updated``, ``LAST UPDATED:``) and where it was
published (``Published in Dawn, February 17th, 2023``). Dates without a time are midnight
UTC, as the blog's own date headers are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:[a-z]*day)?\.?,?\s+"
_DAY = r"(?P<{}>\d{{1,2}})(?:st|nd|rd|th)?"
DATE = (
    rf"(?:{_WEEKDAY})?(?:"
    rf"(?P<month>{_MONTH})\.?\s+{_DAY.format('day')},?\s+(?P<year>\d{{4}})"
    rf"|{_DAY.format('day2')}\s+(?P<month2>{_MONTH})\.?,?\s+(?P<year2>\d{{4}})"
    r"|(?P<iso_year>\d{4})-(?P<iso_month>\d{2})-(?P<iso_day>\d{2}))"
)
"""A calendar date: ``Thu, November 2, 2023``, ``February 17th, 2023``, ``1 November 2023``,
``2023-11-02``; any case (``JULY 29, 2021``). Shared with caption detection."""

_ZONES = {"utc": 0.0, "gmt": 0.0, "pkt": 5.0, "ist": 5.5, "bst": 1.0, "cet": 1.0, "cest": 2.0}
_ZONES |= {"et": -5.0, "est": -5.0, "edt": -4.0, "ct": -6.0, "cst": -6.0, "pt": -8.0}
_ZONES |= {"pst": -8.0, "pdt": -7.0}
_ZONE = "|".join(sorted(_ZONES, key=len, reverse=True))


def _time(name: str) -> str:
    """A time of day, its groups named ``{name}hour``, ``{name}minute``, ``{name}half`` (a or
    p) and ``{name}zone``: ``10:15 PM GMT``, ``9:05 a.m. PKT``."""
    return (
        rf"(?P<{name}hour>\d{{1,2}}):(?P<{name}minute>\d{{2}})"
        rf"(?:\s*(?P<{name}half>[ap])\.?m\.?)?(?:\s+(?P<{name}zone>{_ZONE}))?"
    )


_LEAD = (
    r"(?:(?P<kind>published|updated|last\s+updated|first\s+published|posted|modified)"
    r"(?:\s+in\s+(?P<outlet>[^,:]{2,40}?),)?\s*(?:on\b)?\s*:?\s*)?"
)
_DATE_LINE = re.compile(
    rf"{_LEAD}(?:{_time('first_')}\s*,?\s*)?{DATE}"
    rf"(?:\s*(?:,|at|-|\|)?\s*{_time('')})?\s*[,.]?",
    re.IGNORECASE,
)
"""A date line: the date, with a time before it (``Updated 10:41 AM EDT, Wed November 1,
2023``) or after it (``November 2, 2023 10:15 PM GMT``)."""


@dataclass(frozen=True)
class DateLine:
    """What a date line says: the date, whether it is the update date, and the outlet if named."""

    when: datetime
    updated: bool = False
    outlet: str | None = None


def to_datetime(match: re.Match[str]) -> datetime | None:
    """The date a ``DATE`` match (and its optional time) spells, or None if no such day."""
    groups = match.groupdict()
    if groups.get("iso_year"):
        year, month, day = int(groups["iso_year"]), int(groups["iso_month"]), int(groups["iso_day"])
    else:
        year = int(groups["year"] or groups["year2"])
        month = MONTHS[(groups["month"] or groups["month2"]).casefold()]
        day = int(groups["day"] or groups["day2"])
    hour, minute, zone = 0, 0, UTC
    name = next((name for name in ("first_", "") if groups.get(f"{name}hour")), None)
    if name is not None:
        hour, minute = int(groups[f"{name}hour"]), int(groups[f"{name}minute"])
        if half := groups[f"{name}half"]:
            hour = hour % 12 + (12 if half.casefold() == "p" else 0)
        if found := groups[f"{name}zone"]:
            zone = timezone(timedelta(hours=_ZONES[found.casefold()]))
    try:
        return datetime(year, month, day, hour, minute, tzinfo=zone)
    except ValueError:
        return None


def parse_date_line(line: str) -> DateLine | None:
    """The date ``line`` gives if it is a date line, else None.

    >>> parse_date_line("LAST UPDATED:JULY 29, 2021,").updated
    True
    """
    match = _DATE_LINE.fullmatch(line.strip())
    if not match or not (when := to_datetime(match)):
        return None
    kind = (match["kind"] or "").casefold()
    return DateLine(
        when=when,
        updated=kind.endswith("updated") or kind == "modified",
        outlet=match["outlet"].strip() if match["outlet"] else None,
    )
