"""Gazette: a self-hosted, searchable archive of news clippings, published as a blog."""

__version__ = "0.1.0"
