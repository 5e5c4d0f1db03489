"""Blogger's URL forms, read into archive queries (pure: no server)."""

from __future__ import annotations

from datetime import date

import pytest

from gazette.search.query import DateRange, Phrase, parse
from gazette.web import params


def test_either_label_parses_as_or() -> None:
    node = parse('label:A|label:"North Waziristan"').node
    assert type(node).__name__ == "Or"


def test_label_names_split_on_plus() -> None:
    assert params.label_names("Pakistan+North Waziristan") == ["Pakistan", "North Waziristan"]
    assert params.label_names("+") == []


@pytest.mark.parametrize(
    ("value", "end"),
    [
        ("2023-02-16T00:00:00-08:00", date(2023, 2, 16)),
        ("2023-02-16T10:30:00.000+05:00", date(2023, 2, 17)),
        ("2023-02-16T10:30:00 05:00", date(2023, 2, 17)),  # a "+" that arrived as a space
        ("2023-02-16", date(2023, 2, 16)),
    ],
)
def test_updated_max_becomes_a_before_filter(value: str, end: date) -> None:
    assert params.before_filter(value) == DateRange(None, end)


@pytest.mark.parametrize("value", ["yesterday", "", "9999-12-31T23:59:59"])
def test_unreadable_updated_max_is_ignored(value: str) -> None:
    assert params.before_filter(value) is None


def test_filters_survive_a_stray_quote_in_the_query() -> None:
    query, notes = params.combine('"taliban', [Phrase("Pakistan", "label")])
    node = parse(query).node
    assert query == 'label:"Pakistan" "taliban"'
    assert type(node).__name__ == "And"
    assert notes == ["Added a missing closing quote."]


def test_no_filters_leave_the_query_as_typed() -> None:
    assert params.combine("a OR (b", []) == ("a OR (b", [])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, (1, 10)),
        ({"page": "3"}, (3, 10)),
        ({"max-results": "5", "start": "12"}, (3, 5)),
        ({"max-results": "500"}, (1, 100)),
        ({"max-results": "x", "page": "-4"}, (1, 10)),
        ({"page": "99999999999999999999"}, (params.MAX_OFFSET // 10 + 1, 10)),
    ],
)
def test_paging_is_lenient(query: dict[str, str], expected: tuple[int, int]) -> None:
    assert params.paging(query) == expected


def test_listing_by_date_and_before() -> None:
    listing = params.listing({"q": "taliban", "updated-max": "2023-01-01T00:00:00Z"})
    assert listing.sort == "date"
    assert listing.query == "before:2023-01-01 taliban"


def test_listing_reports_an_unreadable_updated_max() -> None:
    listing = params.listing({"q": "taliban", "updated-max": "soon"})
    assert listing.query == "taliban"
    assert listing.notes == ["Ignored updated-max: it is not a date and time."]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"page": "two"}, "page must be an integer"),
        ({"page": "0"}, "page must be between"),
        ({"per_page": "101"}, "per_page must be between"),
    ],
)
def test_api_paging_refuses_what_it_cannot_read(query: dict[str, str], message: str) -> None:
    with pytest.raises(params.BadParameter, match=message):
        params.api_paging(query)
