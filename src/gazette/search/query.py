"""The search box's query language: turn what a reader typed into a small AST.

Pure: standard library only, no I/O and no search engine. :func:`parse` never raises;
whatever it cannot read is ignored or repaired, and :attr:`ParsedQuery.notes` says so.

Grammar (``OR`` binds tighter than the implicit ``AND`` between operands)::

    query       := (disjunction | "AND")*
    disjunction := unary (("OR" | "|") unary)*
    unary       := ("-" | "NOT")* primary
    primary     := word | +word | "phrase" | field:value | field:"phrase" | "(" query ")"
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

FIELDS = ("title", "label", "source", "author")
DATE_FIELDS = ("after", "before", "on")

_MAX_TERMS = 200  # words, phrases and filters; the rest of a longer query is ignored
_MAX_DEPTH = 20  # brackets nested deeper than this are ignored


@dataclass(frozen=True)
class Term:
    """One word as typed; the search engine analyses it later."""

    text: str
    field: str | None = None  # None: title and body; else one of FIELDS


@dataclass(frozen=True)
class Phrase:
    """An exact phrase: the raw text between the quotes."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class DateRange:
    """A published-date filter: ``start`` inclusive, ``end`` exclusive, either may be open."""

    start: date | None
    end: date | None


@dataclass(frozen=True)
class Not:
    """Matches what ``child`` does not."""

    child: Node


@dataclass(frozen=True)
class And:
    """Matches what all children match."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Matches what any child matches."""

    children: tuple[Node, ...]


Node = Term | Phrase | DateRange | Not | And | Or


@dataclass(frozen=True)
class ParsedQuery:
    """The result of :func:`parse`."""

    text: str  # the original input
    node: Node | None  # None: no constraints, match everything
    notes: tuple[str, ...]  # short sentences for the reader about what was ignored or repaired


def parse(text: str) -> ParsedQuery:
    """Read a search-box query; never raises, whatever ``text`` is."""
    notes: list[str] = []
    tokens = _balance(_tokenize(text, notes), notes)
    node = _Parser(tokens, notes).query()
    return ParsedQuery(text, node, tuple(dict.fromkeys(notes)))


def to_string(node: Node | None) -> str:
    """Canonical query text for ``node``, such that ``parse(to_string(node)).node == node``."""
    match node:
        case None:
            return ""
        case Term(text, None):
            return f"+{text}" if text in _OPERATORS or _NEEDS_PLUS.match(text) else text
        case Term(text, field):
            return f"{field}:{text}"
        case Phrase(text, None):
            return f'"{text}"'
        case Phrase(text, field):
            return f'{field}:"{text}"'
        case DateRange():
            filters = _date_filters(node)
            return filters[0] if len(filters) == 1 else f"({' '.join(filters)})"
        case Not(child):
            return f"-{_operand(child)}"
        case And(children):
            return " ".join(to_string(c) if isinstance(c, Or) else _operand(c) for c in children)
        case Or(children):
            return " OR ".join(_operand(c) for c in children)


def searches_text(node: Node | None) -> bool:
    """Whether ``node`` looks for words in the posts' text (anywhere but under a ``-``),
    rather than only filtering them by labels, outlets, authors or dates."""
    match node:
        case Term(field=field) | Phrase(field=field):
            return field in (None, "title")
        case And(children) | Or(children):
            return any(searches_text(child) for child in children)
        case _:
            return False


def plain_words(node: Node | None) -> list[Term | Phrase]:
    """The un-negated words and phrases (any text or title) that a match must contain.

    These are ``node`` itself or the direct children of a top-level :class:`And`; a search
    with no hits can relax to "match most of them".
    """
    children = node.children if isinstance(node, And) else (node,)
    return [c for c in children if isinstance(c, Term | Phrase) and c.field in (None, "title")]


# --- Tokens -------------------------------------------------------------------------------

_NAMES = "|".join(FIELDS + DATE_FIELDS)
_WORD_CHAR = r'[^\s"“”()|]'
_TOKEN = re.compile(
    rf"""
      (?P<space>\s+)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<bar>\|)                              # "a|b", Blogger's "label:A|label:B": OR
    | (?P<phrase>(?:(?P<phrase_field>(?ai:{_NAMES})):)?["“”](?P<quoted>[^"“”]*)(?P<closing>["“”])?)
    | (?P<neg>-)(?=[^\s)|+-]|\+{_WORD_CHAR})   # "-" glued to what it negates, not "--"
    | \+(?P<literal>{_WORD_CHAR}+)             # "+word": the word as typed
    | (?P<filter>(?P<field>(?ai:{_NAMES})):(?P<value>{_WORD_CHAR}*))
    | (?P<sign>[-+])(?!{_WORD_CHAR})           # a lone "-" or "+": ignored
    | (?P<word>{_WORD_CHAR}+)
    """,
    re.VERBOSE,
)
_OPERATORS = {"OR": "or", "|": "or", "AND": "and", "NOT": "not"}
_NEEDS_PLUS = re.compile(rf"[-+]|(?ai:{_NAMES}):")  # words that would not read back as typed
_OPERAND_STARTS = frozenset({"word", "phrase", "open", "neg", "not"})


class _Token(NamedTuple):
    kind: str  # "word", "phrase", "open", "close", "neg", "or", "and" or "not"
    text: str  # as typed, for notes
    value: str = ""  # the word, the text between the quotes, or a filter's value
    field: str | None = None  # the filter's name, lower-cased


def _tokenize(text: str, notes: list[str]) -> list[_Token]:
    tokens: list[_Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "phrase":
            if m["closing"] is None and m["quoted"].strip():
                notes.append("Added a missing closing quote.")
            field = m["phrase_field"] and m["phrase_field"].lower()
            tokens.append(_Token("phrase", m[0], m["quoted"], field))
        elif kind == "filter":
            tokens.append(_Token("word", m[0], m["value"], m["field"].lower()))
        elif kind == "literal":
            tokens.append(_Token("word", m[0], m["literal"]))
        elif kind == "bar":
            tokens.append(_Token("or", m[0]))
        elif kind == "word":
            operator = m[0] in _OPERATORS and not (tokens and tokens[-1].kind == "neg")
            tokens.append(_Token(_OPERATORS[m[0]] if operator else "word", m[0], m[0]))
        elif kind in ("open", "close", "neg"):
            tokens.append(_Token(kind, m[0]))
    return tokens


def _balance(tokens: list[_Token], notes: list[str]) -> list[_Token]:
    """Drop unmatched ")" and too deeply nested brackets; close brackets left open."""
    balanced: list[_Token] = []
    kept: list[bool] = []  # for each open bracket: is it kept?
    depth = 0  # kept open brackets
    for tok in tokens:
        if tok.kind == "open":
            kept.append(depth < _MAX_DEPTH)
            if not kept[-1]:
                notes.append(f"Ignored brackets nested more than {_MAX_DEPTH} deep.")
                continue
            depth += 1
        elif tok.kind == "close":
            if not kept:
                notes.append("Ignored a ')' with no matching '('.")
                continue
            if not kept.pop():
                continue
            depth -= 1
        balanced.append(tok)
    if depth:
        notes.append("Added a missing closing bracket.")
    return balanced + [_Token("close", ")")] * depth


# --- Parser -------------------------------------------------------------------------------


class _Parser:
    """Recursive descent over balanced tokens; each method returns None for "nothing"."""

    def __init__(self, tokens: list[_Token], notes: list[str]) -> None:
        self._tokens = tokens
        self._pos = 0
        self._notes = notes
        self._leaves = 0

    def query(self) -> Node | None:
        return _join(And, self._sequence())

    def _peek(self) -> _Token | None:
        return self._tokens[self._pos] if self._pos < len(self._tokens) else None

    def _advance(self) -> _Token:
        self._pos += 1
        return self._tokens[self._pos - 1]

    def _at_operand(self) -> bool:
        tok = self._peek()
        return tok is not None and tok.kind in _OPERAND_STARTS

    def _sequence(self) -> list[Node | None]:
        """Operands joined by implicit or explicit AND, up to a ")" or the end."""
        children: list[Node | None] = []
        while (tok := self._peek()) is not None and tok.kind != "close":
            if tok.kind in ("and", "or"):
                self._advance()
                # An OR here has no left operand: the disjunction before it would have taken it.
                if tok.kind == "or" or not children or not self._at_operand():
                    self._notes.append(f"Ignored {tok.text}: it needs a search term on each side.")
            else:
                children.append(self._disjunction())
        return children

    def _disjunction(self) -> Node | None:
        children = [self._unary()]
        while (tok := self._peek()) is not None and tok.kind == "or":
            self._advance()
            if self._at_operand():
                children.append(self._unary())
            else:
                self._notes.append(f"Ignored {tok.text}: it needs a search term on each side.")
        return _join(Or, children)

    def _unary(self) -> Node | None:
        negated = False
        while (tok := self._peek()) is not None and tok.kind in ("neg", "not"):
            self._advance()
            negated = not negated
            if not self._at_operand():
                if tok.kind == "not":
                    self._notes.append("Ignored NOT: it needs a search term after it.")
                return None
        node = self._primary()
        return _negate(node) if negated and node is not None else node

    def _primary(self) -> Node | None:
        tok = self._advance()
        if tok.kind == "open":
            node = _join(And, self._sequence())
            self._advance()  # the matching ")": brackets are balanced by now
            return node
        return self._leaf(tok)

    def _leaf(self, tok: _Token) -> Node | None:
        if not tok.value.strip():
            if tok.field is not None:
                self._notes.append(f"Ignored {tok.field}: with no value.")
            return None
        node: Node | None
        if tok.field in DATE_FIELDS:
            node = _date_filter(tok.field, tok.value)
            if node is None:
                self._notes.append(
                    f"Ignored {_clip(tok.text)}: not a date (use YYYY, YYYY-MM or YYYY-MM-DD)."
                )
                return None
        elif tok.kind == "phrase":
            node = Phrase(tok.value, tok.field)
        else:
            node = Term(tok.value, tok.field)
        if self._leaves == _MAX_TERMS:
            self._notes.append(f"Used only the first {_MAX_TERMS} search terms.")
            return None
        self._leaves += 1
        return node


def _join(kind: type[And] | type[Or], children: Iterable[Node | None]) -> Node | None:
    """``kind`` of the children, flattened; a single child stands alone; none is None."""
    flat: list[Node] = []
    for child in children:
        if isinstance(child, kind):
            flat.extend(child.children)
        elif child is not None:
            flat.append(child)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _negate(node: Node) -> Node:
    return node.child if isinstance(node, Not) else Not(node)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Dates --------------------------------------------------------------------------------

_DATE = re.compile(r"(?P<year>[0-9]{4})(?:[-/](?P<month>[0-9]{1,2})(?:[-/](?P<day>[0-9]{1,2}))?)?")


def _period(text: str) -> tuple[date, date | None] | None:
    """The first day of ``YYYY[-MM[-DD]]`` and the first day after it (None past year 9999)."""
    m = _DATE.fullmatch(text)
    if m is None:
        return None
    try:
        start = date(int(m["year"]), int(m["month"] or 1), int(m["day"] or 1))
    except ValueError:
        return None
    try:
        if m["day"]:
            end = start + timedelta(days=1)
        elif m["month"]:
            end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        else:
            end = date(start.year + 1, 1, 1)
    except (ValueError, OverflowError):
        return start, None
    return start, end


def _date_filter(field: str, value: str) -> DateRange | None:
    period = _period(value)
    if period is None:
        return None
    start, end = period
    if field == "on":
        return DateRange(start, end)
    if field == "after":
        return DateRange(start, None)
    return DateRange(None, start)


def _date_filters(node: DateRange) -> list[str]:
    """The filters for a date range: one ``on:`` if it is a whole day, month or year."""
    if node.start is not None and node.end is not None:
        iso = node.start.isoformat()
        for width in (10, 7, 4):  # YYYY-MM-DD, YYYY-MM, YYYY
            if _period(iso[:width]) == (node.start, node.end):
                return [f"on:{iso[:width]}"]
    filters = []
    if node.start is not None:
        filters.append(f"after:{node.start.isoformat()}")
    if node.end is not None:
        filters.append(f"before:{node.end.isoformat()}")
    return filters


def _operand(node: Node) -> str:
    """``node`` as the operand of NOT or OR: bracketed if it is a group."""
    text = to_string(node)
    return f"({text})" if isinstance(node, And | Or) else text
