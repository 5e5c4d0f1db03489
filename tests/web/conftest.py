"""A real archive (SQLite + tantivy) of the sample posts, served by a real uvicorn server."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from gazette.archive import Archive
from gazette.web.samples import load_samples
from gazette.web.server import server_config

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
SAMPLE_POSTS = 13
"""Posts among the samples (``gazette serve --samples``)."""


def skip_unless_ci(reason: str) -> None:
    """Skip with ``reason``; when ``$CI`` is set, fail instead: CI must run every test."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required when CI is set)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    """An archive holding the sample posts."""
    with Archive.open(tmp_path_factory.mktemp("web") / "data", create=True) as opened:
        summary = load_samples(opened)
        assert summary.ok and summary.added >= 8, summary
        yield opened


@contextmanager
def serving(archive: Archive) -> Iterator[str]:
    """A uvicorn server on a free port, in a background thread, serving ``archive``."""
    server = uvicorn.Server(server_config(archive, "127.0.0.1", 0, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the web server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def serve() -> Callable[[Archive], AbstractContextManager[str]]:
    """``with serve(archive) as base_url:`` runs a server for another archive."""
    return serving


@pytest.fixture(scope="session")
def base_url(archive: Archive) -> Iterator[str]:
    """The address of the server of the sample archive."""
    with serving(archive) as url:
        yield url


@pytest.fixture(scope="session")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as session:
        yield session


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """``test-artifacts/screenshots/``, emptied once per run."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_unless_ci("playwright is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        skip_unless_ci(f"{CHROMIUM} not found (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def schemathesis_cli() -> list[str]:
    """The command that runs schemathesis's CLI in this Python environment."""
    if importlib.util.find_spec("schemathesis") is None:
        skip_unless_ci("schemathesis is not installed (pip install schemathesis)")
    return [sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()"]
