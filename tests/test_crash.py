"""Crash safety, for real: SIGKILL an import half-way and check nothing is half-written."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from gazette.archive import Archive

WORDS = (
    "taliban pakistan kabul islamabad border refugees minister talks militants army province "
    "ceasefire report election court market drought aid embassy convoy village tribal council"
).split()


def big_page(posts: int, seed: int = 7) -> tuple[str, dict[str, str]]:
    """A plain-text blog page of ``posts`` posts; also each title's expected body."""
    rng = random.Random(seed)
    day, parts, bodies = date(2024, 12, 31), [], {}
    for n in range(posts):
        title = f"Dispatch {n}: {rng.choice(WORDS)} {rng.choice(WORDS)}"
        body = "\n\n".join(
            " ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + "." for _ in range(4)
        )
        parts.append(f"{day:%A}, {day:%B} {day.day}, {day.year}\n\n{title}\n\n{body}\n")
        bodies[title] = body
        day -= timedelta(days=1) if n % 3 == 0 else timedelta(0)
    return "\n".join(parts), bodies


def test_sigkill_during_import_leaves_whole_posts_or_none(tmp_path: Path) -> None:
    text, bodies = big_page(20_000)
    source = tmp_path / "big.txt"
    source.write_text(text)
    data = tmp_path / "data"
    process = subprocess.Popen(
        [sys.executable, "-m", "gazette", "--data", str(data), "import", str(source)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with sqlite3.connect(data / "gazette.db", timeout=0.1) as db:
                stored = db.execute("SELECT count(*) FROM posts").fetchone()[0]
        except sqlite3.Error:
            stored = 0
        if stored >= 1000:
            break
        time.sleep(0.05)
    assert process.poll() is None, (
        "the import finished before it could be killed: use a bigger file"
    )
    process.send_signal(signal.SIGKILL)
    process.wait()

    with Archive.open(data) as archive:
        posts = list(archive.store.iter_published())
        assert 1000 <= len(posts) < 20_000
        for post in posts:  # every stored post is whole
            assert post.body_text == bodies[post.title]
        figures = archive.stats()
        assert not figures.drift, figures
        assert archive.index.post_ids() == {post.id for post in posts}
        assert archive.search("dispatch").total == len(posts)

    stats = subprocess.run(
        [sys.executable, "-m", "gazette", "--data", str(data), "stats"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "drift" in stats.stdout and "none" in stats.stdout.split("drift")[-1]
