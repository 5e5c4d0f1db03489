"""The search query language: parse, to_string and plain_words."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazette.search.query import (
    DATE_FIELDS,
    FIELDS,
    And,
    DateRange,
    Node,
    Not,
    Or,
    ParsedQuery,
    Phrase,
    Term,
    parse,
    plain_words,
    searches_text,
    to_string,
)

T = Term
P = Phrase
D = date

MISSING_QUOTE = "Added a missing closing quote."
MISSING_BRACKET = "Added a missing closing bracket."
STRAY_BRACKET = "Ignored a ')' with no matching '('."
LONE_OR = "Ignored OR: it needs a search term on each side."
LONE_NOT = "Ignored NOT: it needs a search term after it."
LONE_AND = "Ignored AND: it needs a search term on each side."


def not_a_date(filter_text: str) -> str:
    return f"Ignored {filter_text}: not a date (use YYYY, YYYY-MM or YYYY-MM-DD)."


def ab(*words: str) -> And:
    return And(tuple(T(w) for w in words))


# (query, expected node) for queries that parse without notes.
CLEAN = [
    # Empty queries match everything.
    ("", None),
    ("   \t\n ", None),
    # Plain words, AND.
    ("taliban", T("taliban")),
    ("pakistan taliban", ab("pakistan", "taliban")),
    ("Taliban’s", T("Taliban’s")),
    ("pakistan AND taliban", ab("pakistan", "taliban")),
    ("a and b or c not d", ab("a", "and", "b", "or", "c", "not", "d")),
    ("anti-TTP Tehreek-i-Taliban", ab("anti-TTP", "Tehreek-i-Taliban")),
    ("— ... --", ab("—", "...", "--")),
    ("--x", T("--x")),
    ("foo:bar 10:30 http://x", ab("foo:bar", "10:30", "http://x")),
    ("onion:x labels:y", ab("onion:x", "labels:y")),
    ("a|b", Or((T("a"), T("b")))),
    ("label:Sport|label:Afghanistan", Or((T("Sport", "label"), T("Afghanistan", "label")))),
    # Phrases.
    ('"Durand Line"', P("Durand Line")),
    ("“Durand Line”", P("Durand Line")),
    ('" spaced  out "', P(" spaced  out ")),
    ('"a (b) OR -c"', P("a (b) OR -c")),
    ('taliban "Durand Line" kabul', And((T("taliban"), P("Durand Line"), T("kabul")))),
    ('x"y"z', And((T("x"), P("y"), T("z")))),
    ('""', None),
    ('a "" b “ ” c', ab("a", "b", "c")),
    # Negation.
    ("taliban -pakistan", And((T("taliban"), Not(T("pakistan"))))),
    ("taliban NOT pakistan", And((T("taliban"), Not(T("pakistan"))))),
    ('-"Durand Line"', Not(P("Durand Line"))),
    ("-(kabul OR islamabad)", Not(Or((T("kabul"), T("islamabad"))))),
    ("-(a b)", Not(ab("a", "b"))),
    ("-label:Pakistan", Not(T("Pakistan", "label"))),
    ("NOT NOT x", T("x")),
    ("-(-x)", T("x")),
    ("x -(-(a b))", ab("x", "a", "b")),
    ("NOT a OR b", Or((Not(T("a")), T("b")))),
    ("- taliban", T("taliban")),
    ("taliban -", T("taliban")),
    ("taliban - pakistan", ab("taliban", "pakistan")),
    ("(a -)", T("a")),
    ("-OR -NOT", And((Not(T("OR")), Not(T("NOT"))))),
    # A leading "+" keeps the rest of the word as typed.
    ("+taliban", T("taliban")),
    ("+ taliban +", T("taliban")),
    ("+OR +AND +NOT", ab("OR", "AND", "NOT")),
    ("+-x ++x +--", ab("-x", "+x", "--")),
    ("+label:x", T("label:x")),
    ('+"Durand Line"', P("Durand Line")),
    ("-+-x", Not(T("-x"))),
    # OR binds tighter than AND.
    ("kabul OR islamabad", Or((T("kabul"), T("islamabad")))),
    ("kabul | islamabad", Or((T("kabul"), T("islamabad")))),
    ("a OR b OR c", Or((T("a"), T("b"), T("c")))),
    ("a b OR c", And((T("a"), Or((T("b"), T("c")))))),
    ("a OR b c", And((Or((T("a"), T("b"))), T("c")))),
    ("a OR b AND c OR d", And((Or((T("a"), T("b"))), Or((T("c"), T("d")))))),
    ("a OR -b", Or((T("a"), Not(T("b"))))),
    ("a OR NOT b", Or((T("a"), Not(T("b"))))),
    # Groups.
    (
        "(kabul OR islamabad) taliban",
        And((Or((T("kabul"), T("islamabad"))), T("taliban"))),
    ),
    ("(a b) OR c", Or((ab("a", "b"), T("c")))),
    ("((a))", T("a")),
    ("(a b) c", ab("a", "b", "c")),
    ("(a OR b) OR c", Or((T("a"), T("b"), T("c")))),
    ("()", None),
    ("a () b", ab("a", "b")),
    ("a OR ()", T("a")),
    ("(()) (( ))", None),
    # Text filters.
    ("label:Pakistan", T("Pakistan", "label")),
    ('label:"North Waziristan"', P("North Waziristan", "label")),
    ("label:“North Waziristan”", P("North Waziristan", "label")),
    (
        'source:Reuters author:"Kathy Gannon"',
        And((T("Reuters", "source"), P("Kathy Gannon", "author"))),
    ),
    ("title:taliban", T("taliban", "title")),
    ('title:"Durand Line"', P("Durand Line", "title")),
    ("Label:Pakistan SOURCE:dawn", And((T("Pakistan", "label"), T("dawn", "source")))),
    ("label:North-Waziristan", T("North-Waziristan", "label")),
    ("label:-x label:+y label:a:b", And((T("-x", "label"), T("+y", "label"), T("a:b", "label")))),
    ("label:OR", T("OR", "label")),
    ("tıtle:x ſource:y", ab("tıtle:x", "ſource:y")),  # only ASCII field names
    # Date filters.
    ("after:2021-08-01", DateRange(D(2021, 8, 1), None)),
    ("after:2021-08", DateRange(D(2021, 8, 1), None)),
    ("after:2021", DateRange(D(2021, 1, 1), None)),
    ("before:2023-01-01", DateRange(None, D(2023, 1, 1))),
    ("before:2023-11", DateRange(None, D(2023, 11, 1))),
    ("before:2023", DateRange(None, D(2023, 1, 1))),
    ("on:2023-11-01", DateRange(D(2023, 11, 1), D(2023, 11, 2))),
    ("on:2023-11", DateRange(D(2023, 11, 1), D(2023, 12, 1))),
    ("on:2023-12", DateRange(D(2023, 12, 1), D(2024, 1, 1))),
    ("on:2023-12-31", DateRange(D(2023, 12, 31), D(2024, 1, 1))),
    ("on:2024-02", DateRange(D(2024, 2, 1), D(2024, 3, 1))),
    ("on:2023", DateRange(D(2023, 1, 1), D(2024, 1, 1))),
    ("on:2023/11/1", DateRange(D(2023, 11, 1), D(2023, 11, 2))),
    ("ON:2023", DateRange(D(2023, 1, 1), D(2024, 1, 1))),
    ('on:"2023"', DateRange(D(2023, 1, 1), D(2024, 1, 1))),
    ("on:9999", DateRange(D(9999, 1, 1), None)),
    ("on:9999-12-31", DateRange(D(9999, 12, 31), None)),
    ("-on:2021", Not(DateRange(D(2021, 1, 1), D(2022, 1, 1)))),
    (
        "taliban after:2021-08-01 before:2023",
        And((T("taliban"), DateRange(D(2021, 8, 1), None), DateRange(None, D(2023, 1, 1)))),
    ),
    (
        "on:2021 OR on:2023",
        Or((DateRange(D(2021, 1, 1), D(2022, 1, 1)), DateRange(D(2023, 1, 1), D(2024, 1, 1)))),
    ),
    # Arbitrary Unicode is just text.
    ("a\x00b \u200fكابل\u200e 🇵🇰", ab("a\x00b", "\u200fكابل\u200e", "🇵🇰")),
]


@pytest.mark.parametrize(("query", "expected"), CLEAN)
def test_parse_clean(query: str, expected: Node | None) -> None:
    parsed = parse(query)
    assert parsed == ParsedQuery(query, expected, ())


# (query, expected node, expected notes) for queries that are repaired or partly ignored.
REPAIRED = [
    # Quotes.
    ('"Durand Line', P("Durand Line"), (MISSING_QUOTE,)),
    ('taliban "Durand (Line', And((T("taliban"), P("Durand (Line"))), (MISSING_QUOTE,)),
    ('label:"North Waziristan', P("North Waziristan", "label"), (MISSING_QUOTE,)),
    # Brackets.
    ("(a OR b", Or((T("a"), T("b"))), (MISSING_BRACKET,)),
    ("((a b) OR c", Or((ab("a", "b"), T("c"))), (MISSING_BRACKET,)),
    ("a) b", ab("a", "b"), (STRAY_BRACKET,)),
    (") ) a", T("a"), (STRAY_BRACKET,)),
    (")(", None, (STRAY_BRACKET, MISSING_BRACKET)),
    # Field filters with no value.
    ("label:", None, ("Ignored label: with no value.",)),
    ("taliban Author:", T("taliban"), ("Ignored author: with no value.",)),
    ('label:"" x', T("x"), ("Ignored label: with no value.",)),
    ("label:(a b)", ab("a", "b"), ("Ignored label: with no value.",)),
    ("after:", None, ("Ignored after: with no value.",)),
    # Bad dates.
    ("after:2023-13-45", None, (not_a_date("after:2023-13-45"),)),
    ("on:yesterday", None, (not_a_date("on:yesterday"),)),
    ("taliban before:2023-02-30", T("taliban"), (not_a_date("before:2023-02-30"),)),
    ("-on:yesterday kabul", T("kabul"), (not_a_date("on:yesterday"),)),
    ("on:0000", None, (not_a_date("on:0000"),)),
    ("on:20231", None, (not_a_date("on:20231"),)),
    ("on:٢٠٢٣", None, (not_a_date("on:٢٠٢٣"),)),
    (
        "on:" + "9" * 100,
        None,
        (not_a_date("on:" + "9" * 36 + "…"),),
    ),
    # OR with a missing operand.
    ("OR kabul", T("kabul"), (LONE_OR,)),
    ("kabul OR", T("kabul"), (LONE_OR,)),
    ("kabul OR OR islamabad", Or((T("kabul"), T("islamabad"))), (LONE_OR,)),
    ("(kabul OR) taliban", ab("kabul", "taliban"), (LONE_OR,)),
    ("kabul |", T("kabul"), ("Ignored |: it needs a search term on each side.",)),
    ("OR", None, (LONE_OR,)),
    ("a AND OR b", ab("a", "b"), (LONE_AND, LONE_OR)),
    # NOT and AND with nothing to work on.
    ("taliban NOT", T("taliban"), (LONE_NOT,)),
    ("(taliban NOT) x", ab("taliban", "x"), (LONE_NOT,)),
    ("NOT NOT", None, (LONE_NOT,)),
    ("taliban AND", T("taliban"), (LONE_AND,)),
    ("AND taliban", T("taliban"), (LONE_AND,)),
    ("AND", None, (LONE_AND,)),
    # Everything ignored.
    (
        'label: after:x "" () OR -',
        None,
        ("Ignored label: with no value.", not_a_date("after:x"), LONE_OR),
    ),
]


@pytest.mark.parametrize(("query", "expected", "notes"), REPAIRED)
def test_parse_repaired(query: str, expected: Node | None, notes: tuple[str, ...]) -> None:
    parsed = parse(query)
    assert parsed.node == expected
    assert parsed.notes == notes


def test_a_stray_quote_at_the_end_is_ignored_without_a_note() -> None:
    assert parse('taliban "').node == T("taliban")
    assert parse('taliban "').notes == ()


def test_notes_are_not_repeated() -> None:
    assert parse("a) b) c)").notes == (STRAY_BRACKET,)


def test_terms_beyond_the_cap_are_ignored() -> None:
    words = [f"w{i}" for i in range(250)]
    parsed = parse(" ".join(words))
    assert parsed.node == ab(*words[:200])
    assert parsed.notes == ("Used only the first 200 search terms.",)


def test_the_cap_counts_filters_and_phrases_too() -> None:
    parsed = parse('"p" label:x on:2023 ' + " ".join(["w"] * 300) + " last")
    assert isinstance(parsed.node, And)
    assert len(parsed.node.children) == 200
    assert parsed.node.children[:3] == (
        P("p"),
        T("x", "label"),
        DateRange(D(2023, 1, 1), D(2024, 1, 1)),
    )
    assert T("last") not in parsed.node.children


def test_deep_brackets_are_flattened_beyond_twenty() -> None:
    parsed = parse("(" * 5000 + "a OR b" + ")" * 5000)
    assert parsed.node == Or((T("a"), T("b")))
    assert parsed.notes == ("Ignored brackets nested more than 20 deep.",)


def test_twenty_levels_of_brackets_are_kept() -> None:
    nested = "x"
    for _ in range(20):
        nested = f"(a OR -{nested})"
    parsed = parse(nested)
    assert parsed.notes == ()
    assert to_string(parsed.node) == nested[1:-1]


@pytest.mark.parametrize(
    "query",
    [
        "(" * 10_000,
        ")" * 10_000,
        "-" * 10_000 + "x",
        "NOT " * 5_000 + "x",
        '"' * 10_001,
        "OR " * 5_000,
        "a OR " * 5_000,
        "\x00" * 10_000,
        "label:" * 2_000,
        "(a b OR c -d) " * 1_000,
    ],
)
def test_long_input(query: str) -> None:
    parsed = parse(query)
    assert all(len(note) < 200 for note in parsed.notes)
    assert parse(to_string(parsed.node)).node == parsed.node


def test_even_negations_cancel_out() -> None:
    assert parse("NOT " * 5_000 + "x").node == T("x")
    assert parse("NOT " * 5_001 + "x").node == Not(T("x"))


@pytest.mark.parametrize(
    ("node", "text"),
    [
        (None, ""),
        (T("taliban"), "taliban"),
        (T("OR"), "+OR"),
        (T("-x"), "+-x"),
        (T("+x"), "++x"),
        (T("label:x"), "+label:x"),
        (T("Title:x"), "+Title:x"),
        (T("foo:x"), "foo:x"),
        (T("Pakistan", "label"), "label:Pakistan"),
        (P("Durand Line"), '"Durand Line"'),
        (P("Durand Line", "title"), 'title:"Durand Line"'),
        (Not(T("OR")), "-+OR"),
        (Not(P("a b")), '-"a b"'),
        (Not(ab("a", "b")), "-(a b)"),
        (Not(Or((T("a"), T("b")))), "-(a OR b)"),
        (And((T("a"), Or((T("b"), T("c"))))), "a b OR c"),
        (Or((ab("a", "b"), T("c"))), "(a b) OR c"),
        (DateRange(D(2023, 11, 1), D(2023, 11, 2)), "on:2023-11-01"),
        (DateRange(D(2023, 11, 1), D(2023, 12, 1)), "on:2023-11"),
        (DateRange(D(2023, 1, 1), D(2024, 1, 1)), "on:2023"),
        (DateRange(D(2021, 8, 1), None), "after:2021-08-01"),
        (DateRange(None, D(2023, 1, 1)), "before:2023-01-01"),
        (DateRange(D(1, 1, 1), None), "after:0001-01-01"),
        (DateRange(D(2023, 11, 5), D(2023, 12, 1)), "(after:2023-11-05 before:2023-12-01)"),
        (Not(DateRange(D(2021, 1, 1), D(2022, 1, 1))), "-on:2021"),
    ],
)
def test_to_string(node: Node | None, text: str) -> None:
    assert to_string(node) == text


@pytest.mark.parametrize("expected", [node for _, node in CLEAN])
def test_to_string_round_trips_clean_queries(expected: Node | None) -> None:
    assert parse(to_string(expected)) == ParsedQuery(to_string(expected), expected, ())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", []),
        ("taliban", [T("taliban")]),
        ('"Durand Line"', [P("Durand Line")]),
        ("title:taliban", [T("taliban", "title")]),
        ("label:Pakistan", []),
        ("-taliban", []),
        ("kabul OR islamabad", []),
        ("on:2023", []),
        (
            'a -b title:c label:d "e f" (g OR h) (i j) author:k on:2023',
            [T("a"), T("c", "title"), P("e f"), T("i"), T("j")],  # (i j) is flattened
        ),
    ],
)
def test_plain_words(query: str, expected: list[Term | Phrase]) -> None:
    assert plain_words(parse(query).node) == expected


# --- Properties ---------------------------------------------------------------------------

FRAGMENTS = [
    '"',
    "“",
    "”",
    "(",
    ")",
    " ",
    "  ",
    "OR",
    "|",
    "AND",
    "NOT",
    "-",
    "+",
    ":",
    *(f"{name}:" for name in FIELDS + DATE_FIELDS),
    "Label:",
    "2023",
    "-11",
    "/01",
    "-45",
    "kabul",
    "Taliban’s",
    "anti-TTP",
    "foo:",
    "—",
    "\x00",
    "\u200f",
    "🙂",
]
query_syntax = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=40).map("".join)
queries = st.text() | query_syntax


def assert_valid(node: Node) -> None:
    """A normalised node: typed leaves, no single-child or nested same-kind groups."""
    match node:
        case Term(text, field):
            assert text and not any(c.isspace() or c in '"“”()' for c in text)
            assert field is None or field in FIELDS
        case Phrase(text, field):
            assert text.strip() and not any(c in '"“”' for c in text)
            assert field is None or field in FIELDS
        case DateRange(start, end):
            assert start is not None or end is not None
            assert start is None or end is None or start < end
        case Not(child):
            assert not isinstance(child, Not)
            assert_valid(child)
        case And(children) | Or(children):
            assert len(children) >= 2
            for child in children:
                assert not isinstance(child, type(node))
                assert_valid(child)
        case _:
            raise AssertionError(f"not a node: {node!r}")


@settings(max_examples=500)
@given(queries)
def test_parse_never_raises_and_returns_a_valid_node(query: str) -> None:
    parsed = parse(query)
    assert isinstance(parsed, ParsedQuery)
    assert parsed.text == query
    if parsed.node is not None:
        assert_valid(parsed.node)


@settings(max_examples=500)
@given(queries)
def test_to_string_round_trips(query: str) -> None:
    node = parse(query).node
    again = parse(to_string(node))
    assert again.node == node
    assert to_string(again.node) == to_string(node)


@given(queries)
def test_notes_are_short_sentences(query: str) -> None:
    for note in parse(query).notes:
        assert isinstance(note, str)
        assert 0 < len(note) < 200
        assert note.endswith(".")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("taliban", True),
        ('title:"border crossing"', True),
        ("label:Pakistan OR deportation", True),
        ("label:Pakistan source:Reuters after:2023-01-01", False),
        ("-taliban label:Pakistan", False),
        ("", False),
    ],
)
def test_searches_text_tells_a_search_from_a_filter(text: str, expected: bool) -> None:
    assert searches_text(parse(text).node) is expected
