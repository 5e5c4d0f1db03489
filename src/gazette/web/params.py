"""Blogger's URL forms, read into what the archive is asked: a query text, an order, a page.

Pure: no I/O. Whatever a URL holds, these functions return something usable; parameters
that cannot be read are ignored (pages) or reported (the JSON API raises ``BadParameter``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from gazette.model import SortOrder
from gazette.search.query import And, DateRange, Node, Phrase, parse, to_string

PER_PAGE = 10
MAX_PER_PAGE = 100
MAX_OFFSET = 100_000
"""How deep paging may go: deeper pages are clamped (pages) or refused (the API)."""
MAX_API_PAGE = MAX_OFFSET // MAX_PER_PAGE

_QUOTES = re.compile(r"[\"“”]")


class BadParameter(ValueError):
    """A query-string parameter the JSON API cannot accept; the message says which and why."""


@dataclass(frozen=True)
class Listing:
    """One page of posts to ask the archive for, and notes for the reader about the URL."""

    query: str
    sort: SortOrder
    page: int
    per_page: int
    notes: list[str] = field(default_factory=list)
    related: bool = False


def label_names(segment: str) -> list[str]:
    """The labels in a ``/search/label/A+B`` path segment (Blogger: posts with both)."""
    return [name.strip() for name in segment.split("+") if name.strip()]


def label_filters(labels: Iterable[str]) -> list[Node]:
    """A ``label:"…"`` filter for each label."""
    return [Phrase(_QUOTES.sub(" ", label).strip(), "label") for label in labels]


def before_filter(updated_max: str) -> DateRange | None:
    """Blogger's ``updated-max`` (posts published before an ISO date-time) as a date filter.

    The index knows days, not times: a time after midnight keeps that whole day.
    """
    try:
        moment = datetime.fromisoformat(updated_max.strip().replace(" ", "+"))
    except ValueError:
        return None
    day = moment.date()
    if moment.time() != datetime.min.time():
        if day == date.max:
            return None
        day += timedelta(days=1)
    return DateRange(None, day)


def combine(text: str, filters: list[Node]) -> tuple[str, list[str]]:
    """The query ``text`` with ``filters`` added, and the parser's notes on ``text``.

    Joining parsed trees (not strings) keeps a stray quote or bracket in ``text`` from
    swallowing the filters.
    """
    if not filters:
        return text, []
    parsed = parse(text)
    node = parsed.node
    rest = node.children if isinstance(node, And) else (node,) if node is not None else ()
    children = (*filters, *rest)
    combined = children[0] if len(children) == 1 else And(children)
    return to_string(combined), list(parsed.notes)


def lenient_int(value: str | None, default: int, low: int, high: int) -> int:
    """``value`` as an int clamped to ``low..high``; ``default`` if it is not a number."""
    try:
        number = int(value) if value is not None else default
    except ValueError:
        number = default
    return max(low, min(number, high))


def paging(params: Mapping[str, str]) -> tuple[int, int]:
    """(page, per_page) from ``page`` or Blogger's ``start`` (an offset) and ``max-results``."""
    per_page = lenient_int(params.get("max-results"), PER_PAGE, 1, MAX_PER_PAGE)
    last_page = MAX_OFFSET // per_page + 1
    if "page" in params or "start" not in params:
        return lenient_int(params.get("page"), 1, 1, last_page), per_page
    offset = lenient_int(params.get("start"), 0, 0, MAX_OFFSET)
    return offset // per_page + 1, per_page


def listing(params: Mapping[str, str], filters: list[Node] | None = None) -> Listing:
    """The page of posts a ``/search``-style URL asks for (``q``, ``by-date``, paging, …)."""
    filters = list(filters or [])
    notes = []
    updated_max = params.get("updated-max")
    if updated_max:
        before = before_filter(updated_max)
        if before is None:
            notes.append("Ignored updated-max: it is not a date and time.")
        else:
            filters.append(before)
    text = params.get("q", "")
    query, parse_notes = combine(text, filters)
    by_date = params.get("by-date", "").lower() == "true" or not text.strip() or bool(updated_max)
    page, per_page = paging(params)
    sort = "date" if by_date else "relevance"
    return Listing(query, sort, page, per_page, parse_notes + notes, related=is_true(params))


def is_true(params: Mapping[str, str], name: str = "related") -> bool:
    """A yes/no parameter: ``true``, ``1``, ``yes`` or ``on`` mean yes."""
    return params.get(name, "").lower() in ("true", "1", "yes", "on")


def api_int(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """An integer parameter of the JSON API, or ``BadParameter``."""
    value = params.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadParameter(f"{name} must be an integer, not {value[:40]!r}") from None
    if not low <= number <= high:
        raise BadParameter(f"{name} must be between {low} and {high}")
    return number


def api_bool(params: Mapping[str, str], name: str) -> bool:
    """A yes/no parameter of the JSON API (``true`` or ``false``), or ``BadParameter``."""
    value = params.get(name, "false").lower()
    if value not in ("true", "false"):
        raise BadParameter(f"{name} must be true or false, not {value[:40]!r}")
    return value == "true"


def api_paging(params: Mapping[str, str]) -> tuple[int, int]:
    """(page, per_page) of a JSON API request, or ``BadParameter``."""
    per_page = api_int(params, "per_page", PER_PAGE, 1, MAX_PER_PAGE)
    return api_int(params, "page", 1, 1, MAX_API_PAGE), per_page
