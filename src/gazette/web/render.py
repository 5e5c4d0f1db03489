"""Rendering pages: the Jinja2 environment (autoescaped), its filters, and the sidebar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.templating import Jinja2Templates

from gazette.archive import Archive
from gazette.model import Facet

SITE_TITLE = "Gazette"
_NOT_MARK = re.compile(r"<(?!/?mark>)")
MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    count: int

    @property
    def name(self) -> str:
        return MONTH_NAMES[self.month - 1]

    @property
    def url(self) -> str:
        return f"/{self.year:04d}/{self.month:02d}/"


@dataclass(frozen=True)
class Year:
    year: int
    count: int
    months: list[Month]

    @property
    def url(self) -> str:
        return f"/{self.year:04d}/"


@dataclass(frozen=True)
class Sidebar:
    """What every page shows beside its content: labels and the archive, with counts."""

    labels: list[Facet]
    years: list[Year]


def archive_years(month_counts: list[tuple[int, int, int]]) -> list[Year]:
    """``Archive.month_counts()`` grouped by year, newest first."""
    years: dict[int, list[Month]] = {}
    for year, month, count in month_counts:
        years.setdefault(year, []).append(Month(year, month, count))
    return [Year(year, sum(m.count for m in months), months) for year, months in years.items()]


class SidebarCache:
    """The sidebar's HTML, rendered again only when the store has changed (by any process):
    with hundreds of months it is the costliest part of a page to render."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._seq: int | None = None
        self._sidebar = Sidebar([], [])
        self._html: Markup | None = None

    def current(self) -> Sidebar:
        seq = self.archive.store.last_seq()
        if seq != self._seq:
            years = archive_years(self.archive.month_counts())
            self._sidebar = Sidebar(self.archive.label_counts(), years)
            self._seq, self._html = seq, None
        return self._sidebar

    def html(self, env: jinja2.Environment, sidebar: Sidebar) -> Markup:
        """The HTML of ``sidebar`` (which ``current()`` just returned), rendered once."""
        if self._html is None:
            self._html = Markup(env.get_template("_sidebar.html").render(sidebar=sidebar))
        return self._html


def snippet_html(snippet: str) -> Markup:
    """A search snippet as markup: it is escaped text with ``<mark>`` around matched words.

    Any other ``<`` is escaped again, so a snippet can never bring in another element.
    """
    return Markup(_NOT_MARK.sub("&lt;", snippet))


def http_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address (never ``javascript:`` and the like), else None."""
    try:
        scheme = urlsplit(url).scheme.lower() if url else ""
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def label_url(label: str) -> str:
    """``/search/label/North%20Waziristan``."""
    return "/search/label/" + quote(label, safe="")


def long_date(moment: date | datetime) -> str:
    """Blogger's date header: ``Thursday, February 16, 2023``."""
    return f"{moment:%A}, {MONTH_NAMES[moment.month - 1]} {moment.day}, {moment.year}"


def with_params(path: str, **params: Any) -> str:
    """``path`` with the non-empty ``params`` as a query string (``by_date`` -> ``by-date``)."""
    pairs = {name.replace("_", "-"): value for name, value in params.items() if value}
    return f"{path}?{urlencode(pairs)}" if pairs else path


def make_templates(sidebar: SidebarCache) -> Jinja2Templates:
    """The page templates, autoescaped, with the sidebar in every page's context."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gazette.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        http_url=http_url, label_url=label_url, long_date=long_date, snippet=snippet_html
    )
    env.globals.update(site_title=SITE_TITLE, with_params=with_params)

    def page_context(request: Request) -> dict[str, Any]:
        current = sidebar.current()  # one look at the store's change log per page
        return {"sidebar": current, "sidebar_html": sidebar.html(env, current)}

    return Jinja2Templates(env=env, context_processors=[page_context])
