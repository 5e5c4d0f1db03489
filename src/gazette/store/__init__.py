"""The store: the source of truth (SQLite by default)."""

from gazette.store.sqlite import Change, PostSummary, Store, StoreError

__all__ = ["Change", "PostSummary", "Store", "StoreError"]
