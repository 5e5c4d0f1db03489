"""Errors raised by importers."""


class ImportFailure(Exception):
    """A source could not be imported; the message names the source and what is wrong."""
