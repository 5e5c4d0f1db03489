"""The JSON API under ``/api/``, and its OpenAPI 3.1 description (hand-written: no framework).

Every error is a JSON object ``{"error": "…"}`` with a 4xx status: 400 for a parameter
that cannot be read, 404 for what is not there.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gazette import __version__
from gazette.web import params

SORTS = ("relevance", "date", "date-asc")
MAX_ID_DIGITS = 18
"""Longer ids cannot be SQLite integers, so no post has them."""
_ID = re.compile(r"-?[0-9]+")


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def search(request: Request) -> Response:
    """``/api/search?q=&sort=&page=&per_page=``: a page of hits, as ``SearchResult.to_json()``."""
    query = request.query_params
    sort = query.get("sort", "relevance")
    if sort not in SORTS:
        return error(400, f"sort must be one of {', '.join(SORTS)}")
    try:
        page, per_page = params.api_paging(query)
        related = params.api_bool(query, "related")
    except params.BadParameter as bad:
        return error(400, str(bad))
    q = query.get("q", "")
    result = request.app.state.archive.search(
        q, sort=sort, page=page, per_page=per_page, related=related
    )
    return JSONResponse(result.to_json())


async def posts(request: Request) -> Response:
    """``/api/posts?page=&per_page=``: published posts, newest first."""
    try:
        page, per_page = params.api_paging(request.query_params)
    except params.BadParameter as bad:
        return error(400, str(bad))
    result = request.app.state.archive.search(
        "", sort="date", page=page, per_page=per_page, facets=False
    )
    return JSONResponse(
        {
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "posts": [hit.to_json() for hit in result.hits],
        }
    )


async def post(request: Request) -> Response:
    """``/api/posts/{id}``: one published post with its clips."""
    raw = request.path_params["post_id"]
    if not _ID.fullmatch(raw):
        return error(400, "post id must be an integer")
    site = request.app.state.archive
    found = site.get(int(raw)) if len(raw) <= MAX_ID_DIGITS else None
    if found is None or found.status != "published":
        return error(404, f"no post with id {raw}")
    return JSONResponse(site.neighbours(found.id).post_json(found))


async def labels(request: Request) -> Response:
    """``/api/labels``: every label with its number of posts, most used first."""
    sidebar = request.app.state.sidebar.current()
    return JSONResponse([{"name": facet.value, "count": facet.count} for facet in sidebar.labels])


async def archive(request: Request) -> Response:
    """``/api/archive``: posts per year and month, newest first."""
    years = request.app.state.sidebar.current().years
    return JSONResponse(
        [
            {
                "year": year.year,
                "count": year.count,
                "months": [{"month": m.month, "count": m.count} for m in year.months],
            }
            for year in years
        ]
    )


async def openapi(request: Request) -> Response:
    """``/api/openapi.json``: this API's OpenAPI description."""
    return JSONResponse(openapi_document(str(request.base_url).rstrip("/")))


# -- the OpenAPI description -------------------------------------------------------------


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties}


_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_INTEGER = {"type": "integer"}
_DATE_TIME = {"type": "string", "format": "date-time"}
_STRINGS = {"type": "array", "items": _STRING}
_BAD_REQUEST = _json(_ref("Error"), "A parameter cannot be read")
_PAGING = [
    {
        "name": "page",
        "in": "query",
        "description": "Page number, from 1.",
        "schema": {"type": "integer", "minimum": 1, "maximum": params.MAX_API_PAGE, "default": 1},
    },
    {
        "name": "per_page",
        "in": "query",
        "description": "Posts per page.",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": params.MAX_PER_PAGE,
            "default": params.PER_PAGE,
        },
    },
]
_FACETS = {"type": "array", "items": _object({"value": _STRING, "count": _INTEGER})}
_SUMMARY = {
    "id": _INTEGER,
    "title": _STRING,
    "published": _DATE_TIME,
    "labels": _STRINGS,
    "url": {"type": "string", "description": "The post's path on this site."},
}
SCHEMAS: dict[str, Any] = {
    "Error": _object({"error": _STRING}),
    "Summary": _object(_SUMMARY),
    "Version": _object(
        {
            **_SUMMARY,
            "headline": {"type": "string", "description": "The headline of its version."},
            "outlet": _NULLABLE_STRING,
        }
    ),
    "Hit": _object(
        {
            **_SUMMARY,
            "snippet": {
                "type": "string",
                "description": "Escaped text of the post with <mark> around matched words.",
            },
            "matches_all": {
                "type": "boolean",
                "description": "False when the post matches only some of the query's words.",
            },
            "versions": {
                "type": "array",
                "items": _ref("Summary"),
                "description": "Lower-ranked matches folded into this one: every clip they "
                "hold is a version of a story this post has too.",
            },
        }
    ),
    "SearchResult": _object(
        {
            "query": _STRING,
            "sort": {"type": "string", "enum": ["relevance", "date"]},
            "order": {"type": "string", "enum": list(SORTS)},
            "total": _INTEGER,
            "page": _INTEGER,
            "per_page": _INTEGER,
            "partial": {
                "type": "boolean",
                "description": "No post matched every word; these match some of them.",
            },
            "matched_all": {
                "type": "integer",
                "description": "How many of the posts match every word; they are ranked first.",
            },
            "more": {
                "type": "boolean",
                "description": "Posts matching only some words follow on later pages; they "
                "are counted in total once a page reaches them.",
            },
            "notes": _STRINGS,
            "hits": {"type": "array", "items": _ref("Hit")},
            "facets": {
                "type": "object",
                "properties": {name: _FACETS for name in ("labels", "years", "outlets", "authors")},
            },
        }
    ),
    "PostList": _object(
        {
            "total": _INTEGER,
            "page": _INTEGER,
            "per_page": _INTEGER,
            "posts": {"type": "array", "items": _ref("Hit")},
        }
    ),
    "Clip": _object(
        {
            "position": _INTEGER,
            "headline": _STRING,
            "outlet": _NULLABLE_STRING,
            "authors": _STRINGS,
            "published": {"type": ["string", "null"], "format": "date-time"},
            "updated": {"type": ["string", "null"], "format": "date-time"},
            "dateline": _NULLABLE_STRING,
            "url": _NULLABLE_STRING,
            "story_id": {
                "type": ["integer", "null"],
                "description": "The story the clip is a version of (null: it has no other).",
            },
            "captions": _STRINGS,
            "credits": _STRINGS,
            "body": _STRING,
            "versions": {
                "type": "array",
                "items": _ref("Version"),
                "description": "Other posts' versions of the clip's story, newest first.",
            },
        }
    ),
    "Post": _object(
        {
            "id": _INTEGER,
            "title": _STRING,
            "published": _DATE_TIME,
            "updated": {"type": ["string", "null"], "format": "date-time"},
            "labels": _STRINGS,
            "author": _NULLABLE_STRING,
            "url": _STRING,
            "origin": _object({"format": _STRING, "url": _NULLABLE_STRING}),
            "body_text": _STRING,
            "body_html": {"type": "string", "description": "Sanitized HTML."},
            "clips": {"type": "array", "items": _ref("Clip")},
            "related": {
                "type": "array",
                "items": _ref("Summary"),
                "description": "The posts most like this one, best first.",
            },
        }
    ),
    "Label": _object({"name": _STRING, "count": _INTEGER}),
    "Year": _object(
        {
            "year": _INTEGER,
            "count": _INTEGER,
            "months": {"type": "array", "items": _object({"month": _INTEGER, "count": _INTEGER})},
        }
    ),
}
PATHS: dict[str, Any] = {
    "/api/search": {
        "get": {
            "operationId": "search",
            "summary": "Search posts with the query language",
            "parameters": [
                {
                    "name": "q",
                    "in": "query",
                    "description": 'A query: words, "phrases", -word, OR, label:, after:, …',
                    "schema": {"type": "string", "default": ""},
                },
                {
                    "name": "sort",
                    "in": "query",
                    "schema": {"type": "string", "enum": list(SORTS), "default": "relevance"},
                },
                {
                    "name": "related",
                    "in": "query",
                    "description": "Also search words from the best matches (RM3 feedback).",
                    "schema": {"type": "boolean", "default": False},
                },
                *_PAGING,
            ],
            "responses": {
                "200": _json(_ref("SearchResult"), "A page of hits"),
                "400": _BAD_REQUEST,
            },
        }
    },
    "/api/posts": {
        "get": {
            "operationId": "listPosts",
            "summary": "Published posts, newest first",
            "parameters": _PAGING,
            "responses": {"200": _json(_ref("PostList"), "A page of posts"), "400": _BAD_REQUEST},
        }
    },
    "/api/posts/{post_id}": {
        "get": {
            "operationId": "getPost",
            "summary": "One post with its clips",
            "parameters": [{"name": "post_id", "in": "path", "required": True, "schema": _INTEGER}],
            "responses": {
                "200": _json(_ref("Post"), "The post"),
                "400": _BAD_REQUEST,
                "404": _json(_ref("Error"), "No published post has this id"),
            },
        }
    },
    "/api/labels": {
        "get": {
            "operationId": "listLabels",
            "summary": "Labels with their number of posts, most used first",
            "responses": {"200": _json({"type": "array", "items": _ref("Label")}, "Labels")},
        }
    },
    "/api/archive": {
        "get": {
            "operationId": "archiveCounts",
            "summary": "Number of posts per year and month, newest first",
            "responses": {"200": _json({"type": "array", "items": _ref("Year")}, "Years")},
        }
    },
}


def openapi_document(server: str) -> dict[str, Any]:
    """The OpenAPI 3.1 description of the API served at ``server``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Gazette API",
            "version": __version__,
            "description": "Search and read a Gazette archive of news clippings.",
        },
        "servers": [{"url": server}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }


routes = [
    Route("/api/search", search),
    Route("/api/posts", posts),
    Route("/api/posts/{post_id}", post),
    Route("/api/labels", labels),
    Route("/api/archive", archive),
    Route("/api/openapi.json", openapi),
]
