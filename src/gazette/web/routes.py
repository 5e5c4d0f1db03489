"""The HTML pages: the blog's front page, search, labels, archives by date, and posts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from gazette.archive import Archive
from gazette.model import Hit
from gazette.web import params
from gazette.web.render import MONTH_NAMES, with_params

SUGGESTIONS = 5
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class FeedLink:
    """A feed a page offers (``<link rel="alternate">``)."""

    title: str
    atom: str
    rss: str


@dataclass(frozen=True)
class Link:
    """A link to another page of posts: ``rel`` is ``prev`` or ``next``."""

    rel: str
    text: str
    url: str


@dataclass(frozen=True)
class SearchHeader:
    """Blogger's line above search results: the order, and a link to the other order."""

    order: str  # "relevance" or "date"
    other_url: str


SITE_FEED = FeedLink("All posts", "/feeds/posts.atom", "/feeds/posts.rss")


def archive_of(request: Request) -> Archive:
    return request.app.state.archive


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """Render ``template``; every page has a search box (``q``) and feed links (``feeds``)."""
    context.setdefault("q", "")
    context.setdefault("feeds", [SITE_FEED])
    return request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status_code
    )


def page_url(request: Request, page: int) -> str:
    """This URL at another page (``start`` gives way to ``page``)."""
    kept = {k: v for k, v in request.query_params.items() if k not in ("page", "start")}
    if page > 1:
        kept["page"] = str(page)
    return f"{request.url.path}?{urlencode(kept)}" if kept else request.url.path


def query_feed_link(title: str, query: str) -> FeedLink:
    """The feeds of the posts that match ``query``."""
    suffix = "?" + urlencode({"q": query})
    return FeedLink(title, "/feeds/posts.atom" + suffix, "/feeds/posts.rss" + suffix)


def label_feed_link(name: str) -> FeedLink:
    """The feeds of the posts with label ``name``."""
    quoted = quote(name, safe="")
    return FeedLink(
        f"Posts with label {name}", f"/feeds/posts.atom/-/{quoted}", f"/feeds/posts.rss/-/{quoted}"
    )


def listing_page(
    request: Request,
    listing: params.Listing,
    *,
    heading: str,
    feed: FeedLink | None = None,
    q: str = "",
    search_header: SearchHeader | None = None,
    labels: Sequence[str] = (),
) -> Response:
    """A page of posts (newest first, or best first for a search) with links to the others."""
    result = archive_of(request).search(
        listing.query,
        sort=listing.sort,
        page=listing.page,
        per_page=listing.per_page,
        facets=False,
        related=listing.related,
    )
    newer, older = ("Newer posts", "Older posts")
    if listing.sort == "relevance":
        newer, older = ("Previous page", "Next page")
    pager = []
    if result.page > 1:
        pager.append(Link("prev", newer, page_url(request, result.page - 1)))
    if result.page < result.pages:
        pager.append(Link("next", older, page_url(request, result.page + 1)))
    return render(
        request,
        "listing.html",
        heading=heading,
        result=result,
        notes=listing.notes + result.notes,
        pager=pager,
        feeds=[SITE_FEED, feed] if feed else [SITE_FEED],
        q=q,
        search_header=search_header,
        labels=labels,
    )


async def home(request: Request) -> Response:
    """``/``: every post, newest first, ten to a page."""
    page, per_page = params.paging(request.query_params)
    return listing_page(request, params.Listing("", "date", page, per_page), heading="All posts")


async def search(request: Request) -> Response:
    """``/search?q=…`` with Blogger's ``by-date``, ``max-results``, ``start``, ``updated-max``."""
    listing = params.listing(request.query_params)
    q = request.query_params.get("q", "")
    if not q.strip():
        older = "updated-max" in request.query_params
        return listing_page(request, listing, heading="Older posts" if older else "All posts")
    keep = {"q": q, "max_results": request.query_params.get("max-results")}
    by_date = listing.sort != "relevance"
    header = SearchHeader(
        "date" if by_date else "relevance",
        with_params("/search", **keep)
        if by_date
        else with_params("/search", **keep, by_date="true"),
    )
    return listing_page(
        request,
        listing,
        heading=f"Search results for {q}",
        feed=query_feed_link(f"Posts matching {q}", listing.query),
        q=q,
        search_header=header,
    )


async def label(request: Request) -> Response:
    """``/search/label/L``: posts with label L, newest first; ``A+B``: posts with both."""
    names = params.label_names(request.path_params["labels"])
    if not names:
        raise HTTPException(404)
    listing = params.listing(request.query_params, params.label_filters(names))
    joined = " and ".join(names)
    if len(names) == 1:
        feed = label_feed_link(names[0])
    else:
        feed = query_feed_link(f"Posts with labels {joined}", listing.query)
    return listing_page(
        request, listing, heading=f"Posts with label {joined}", feed=feed, labels=names
    )


async def year_archive(request: Request) -> Response:
    """``/YYYY/``: the year's posts, newest first."""
    year = request.path_params["year"]
    return period_page(request, f"on:{year}", year)


async def month_archive(request: Request) -> Response:
    """``/YYYY/MM/``: the month's posts, newest first."""
    year, month = request.path_params["year"], request.path_params["month"]
    return period_page(request, f"on:{year}-{month}", f"{MONTH_NAMES[int(month) - 1]} {year}")


def period_page(request: Request, query: str, period: str) -> Response:
    page, per_page = params.paging(request.query_params)
    return listing_page(
        request,
        params.Listing(query, "date", page, per_page),
        heading=f"Posts from {period}",
        feed=query_feed_link(f"Posts from {period}", query),
    )


async def post(request: Request) -> Response:
    """``/YYYY/MM/slug``: one post. Blogger's ``slug.html`` redirects here."""
    year, month, slug = (request.path_params[k] for k in ("year", "month", "slug"))
    path = f"/{year}/{month}/{slug}"
    found = archive_of(request).get_by_path(path)
    if found is None and slug.endswith(".html"):
        moved = archive_of(request).get_by_path(path.removesuffix(".html"))
        if moved is not None and moved.status == "published":
            return RedirectResponse(moved.path, status_code=301)
    if found is None or found.status != "published":
        raise HTTPException(404)
    feeds = [SITE_FEED, *map(label_feed_link, found.labels[:1])]
    neighbours = archive_of(request).neighbours(found.id)
    return render(
        request,
        "post.html",
        post=found,
        feeds=feeds,
        versions=neighbours.versions,
        related=neighbours.related,
    )


async def not_found(request: Request, exc: Exception) -> Response:
    """The 404 page: a search box, and posts whose words match the missing address."""
    words = _WORDS.findall(request.url.path.lower().removesuffix(".html"))[-8:]
    guess = " ".join(word for word in words if not word.isdigit())
    hits: list[Hit] = []
    if guess:
        hits = archive_of(request).search(guess, per_page=SUGGESTIONS, facets=False).hits
    return render(request, "404.html", status_code=404, guess=guess, hits=hits)


class YearConvertor(Convertor[str]):
    """Four digits: ``/2023/``."""

    regex = "[0-9]{4}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class MonthConvertor(YearConvertor):
    """Two digits, 01 to 12: ``/2023/11/``."""

    regex = "0[1-9]|1[0-2]"


register_url_convertor("year", YearConvertor())
register_url_convertor("month", MonthConvertor())

routes = [
    Route("/", home),
    Route("/search", search),
    Route("/search/label/{labels:path}", label),
    Route("/{year:year}/", year_archive),
    Route("/{year:year}/{month:month}/", month_archive),
    Route("/{year:year}/{month:month}/{slug}", post),
]
