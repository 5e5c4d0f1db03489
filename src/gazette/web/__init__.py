"""Gazette on the web: HTML pages, Atom/RSS feeds and a JSON API (Starlette + Jinja2)."""

from gazette.web.app import create_app

__all__ = ["create_app"]
