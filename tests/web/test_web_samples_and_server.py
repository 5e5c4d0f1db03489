"""The sample posts and the ``serve`` entry point."""

from __future__ import annotations

from pathlib import Path

import pytest
import uvicorn

from gazette.archive import Archive
from gazette.web import server
from gazette.web.samples import load_samples


def test_samples_load_once(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "data", create=True) as archive:
        first = load_samples(archive)
        again = load_samples(archive)
        posts = archive.search("", per_page=100).hits
    assert first.ok and 8 <= first.added <= 13
    assert (again.added, again.updated, again.unchanged) == (0, 0, first.added)
    assert all(post.labels for post in posts)


def test_samples_mention_the_durand_line(archive: Archive) -> None:
    assert archive.search('"Durand Line"').total >= 3


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8080/"),
        ("0.0.0.0", "http://127.0.0.1:8080/"),
        ("::", "http://[::1]:8080/"),
        ("example.org", "http://example.org:8080/"),
    ],
)
def test_display_url(host: str, url: str) -> None:
    assert server.display_url(host, 8080) == url


def test_serve_prints_the_address(
    archive: Archive, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[uvicorn.Config] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: started.append(self.config))
    server.serve(archive, "127.0.0.1", 8123)
    assert capsys.readouterr().out == (
        f"Gazette is serving {archive.data_dir} at http://127.0.0.1:8123/\n"
    )
    assert (started[0].host, started[0].port) == ("127.0.0.1", 8123)
