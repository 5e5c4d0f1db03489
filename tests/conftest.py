"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.model import Post

SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
SEED = "seeds/000_e93157cd53edb4b4.txt"


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the repository (seed pages and their truth); skip if it is absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} not found: shared test data lives beside the repository")
    return SHARED_DIR


def post(
    uid: str,
    title: str,
    body: str,
    day: str,
    labels: tuple[str, ...] = (),
    status: str = "published",
) -> Post:
    """A post for tests: ``day`` is ``YYYY-MM-DD``."""
    return Post(
        uid=uid,
        title=title,
        body_text=body,
        published=datetime.fromisoformat(day).replace(tzinfo=UTC),
        labels=list(labels),
        status=status,
        origin_format="test",
    )


@pytest.fixture
def archive(tmp_path: Path):
    """An empty archive in a temporary data folder (real SQLite, real tantivy)."""
    with Archive.open(tmp_path / "data", create=True) as opened:
        yield opened


def run_gazette(*args: str, data: Path, check: bool = False) -> subprocess.CompletedProcess:
    """Run the real command line (``python -m gazette``) on data folder ``data``."""
    env = {**os.environ, "GAZETTE_DATA": str(data), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "gazette", *args],
        capture_output=True,
        text=True,
        env=env,
        check=check,
        timeout=120,
    )
