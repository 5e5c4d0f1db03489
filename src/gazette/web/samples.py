"""The sample posts shipped with Gazette, for a first look at the blog."""

from __future__ import annotations

from importlib import resources

from gazette.archive import Archive
from gazette.model import ImportSummary

SAMPLES = "gazette-sample.txt"


def load_samples(archive: Archive) -> ImportSummary:
    """Import the sample posts; importing them again changes nothing."""
    source = resources.files("gazette") / "samples" / SAMPLES
    with resources.as_file(source) as path:
        return archive.import_file(path, "blogpage")
