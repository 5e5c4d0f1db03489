"""The command line, run as a real process: output shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from importlib import resources
from pathlib import Path

import pytest

from tests.conftest import SEED, run_gazette

PAGE = textwrap.dedent(
    """\
    Showing posts sorted by relevance for query KABUL. Sort by date Show all posts

    Monday, August 16, 2021

    Kabul airport overwhelmed

    Thousands of people crowded the runway at Kabul airport.

    Labels: Afghanistan, Taliban

    Friday, August 13, 2021

    Pakistan watches the Taliban advance

    Islamabad says it has no favourites in Kabul.

    Labels: Pakistan
    """
)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.txt"
    path.write_text(PAGE)
    return path


@pytest.fixture
def data(tmp_path: Path, page: Path) -> Path:
    folder = tmp_path / "data"
    run_gazette("import", str(page), data=folder, check=True)
    return folder


def test_import_reports_what_it_did_and_is_idempotent(tmp_path: Path, page: Path) -> None:
    folder = tmp_path / "data"
    first = run_gazette("import", str(page), "--json", data=folder, check=True)
    (summary,) = json.loads(first.stdout)
    assert (summary["added"], summary["format"]) == (2, "blogpage")
    second = run_gazette("import", str(page), "--json", data=folder, check=True)
    (summary,) = json.loads(second.stdout)
    assert (summary["added"], summary["unchanged"]) == (0, 2)


def test_search_json_has_the_documented_shape(data: Path) -> None:
    result = run_gazette("search", "kabul", "--json", data=data, check=True)
    found = json.loads(result.stdout)
    assert {"query", "sort", "total", "page", "hits"} <= found.keys()
    assert (found["query"], found["sort"], found["total"], found["page"]) == (
        "kabul",
        "relevance",
        2,
        1,
    )
    hit = found["hits"][0]
    assert {"id", "title", "published", "labels", "snippet", "url"} <= hit.keys()
    assert hit["title"] == "Kabul airport overwhelmed"
    assert hit["published"] == "2021-08-16T00:00:00+00:00"
    assert hit["labels"] == ["Afghanistan", "Taliban"]
    assert "<mark>Kabul</mark>" in hit["snippet"]


def test_search_by_date_lists_newest_first(data: Path) -> None:
    found = json.loads(run_gazette("search", "kabul", "--by-date", "--json", data=data).stdout)
    assert found["sort"] == "date"
    assert [hit["published"][:10] for hit in found["hits"]] == ["2021-08-16", "2021-08-13"]


def test_search_in_a_terminal_shows_titles_and_snippets(data: Path) -> None:
    result = run_gazette("search", "islamabad", data=data, check=True)
    assert "Showing posts sorted by relevance for query islamabad — 1 post" in result.stdout
    assert "Pakistan watches the Taliban advance" in result.stdout
    assert "no favourites in Kabul" in result.stdout


def test_malformed_queries_give_results_and_a_note(data: Path) -> None:
    result = run_gazette("search", '(kabul OR "airport', data=data)
    assert result.returncode == 0
    assert "note:" in result.stdout
    assert "Kabul airport overwhelmed" in result.stdout


def test_show_list_stats_and_reindex(data: Path) -> None:
    listed = json.loads(run_gazette("list", "--json", data=data, check=True).stdout)
    assert [p["title"] for p in listed] == [
        "Kabul airport overwhelmed",
        "Pakistan watches the Taliban advance",
    ]
    shown = json.loads(
        run_gazette("show", str(listed[1]["id"]), "--json", data=data, check=True).stdout
    )
    assert shown["body_text"] == "Islamabad says it has no favourites in Kabul."
    by_path = run_gazette("show", listed[0]["url"], data=data, check=True)
    assert "Thousands of people crowded" in by_path.stdout
    reindexed = run_gazette("reindex", data=data, check=True)
    assert "Indexed 2 posts." in reindexed.stdout
    stats = json.loads(run_gazette("stats", "--json", data=data, check=True).stdout)
    assert (stats["posts"], stats["index_posts"], stats["drift"]) == (2, 2, False)


def one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_missing_file(tmp_path: Path) -> None:
    line = one_error_line(run_gazette("import", str(tmp_path / "nope.txt"), data=tmp_path / "d"))
    assert "nope.txt: no such file" in line


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    line = one_error_line(run_gazette("import", str(path), data=tmp_path / "d"))
    assert "photo.png: unknown format" in line


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(PAGE.replace("Kabul airport", "Kab\xfcl airport").encode("latin-1"))
    line = one_error_line(run_gazette("import", str(path), data=tmp_path / "d"))
    assert "latin1.txt: not UTF-8 text (byte 0xfc at offset" in line


def test_search_without_an_archive(tmp_path: Path) -> None:
    line = one_error_line(run_gazette("search", "kabul", data=tmp_path / "empty"))
    assert "no archive in" in line and "gazette init" in line


def test_a_data_folder_held_by_another_writer(data: Path, page: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from gazette.archive import Archive\n"
            f"a = Archive.open({str(data)!r})\n"
            "with a.writing():\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        line = one_error_line(run_gazette("import", str(page), data=data))
        assert "being written by another Gazette process" in line
        assert f"pid {holder.pid}" in line
        # Readers are not blocked by a writer.
        assert run_gazette("search", "kabul", "--json", data=data, check=True).returncode == 0
    finally:
        holder.kill()
        holder.wait()


def test_a_corrupt_index_is_rebuilt_not_fatal(data: Path) -> None:
    (data / "index" / "meta.json").write_text("garbage")
    result = run_gazette("search", "kabul", "--json", data=data)
    assert result.returncode == 0
    assert json.loads(result.stdout)["total"] == 2
    assert "rebuilding it from the store" in result.stderr


def test_seed_end_to_end(tmp_path: Path, shared_dir: Path) -> None:
    folder = tmp_path / "data"
    run_gazette("import", str(shared_dir / SEED), data=folder, check=True)
    found = json.loads(run_gazette("search", "pakistan taliban", "--json", data=folder).stdout)
    assert found["total"] == 6
    phrase = json.loads(run_gazette("search", '"Durand Line"', "--json", data=folder).stdout)
    assert 0 < phrase["total"] < 6


def test_export_then_import_restores_the_archive(data: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.jsonl"
    exported = run_gazette("export", "-o", str(backup), data=data, check=True)
    assert "exported 2 posts" in exported.stderr
    restored = tmp_path / "restored"
    summary = json.loads(run_gazette("import", str(backup), "--json", data=restored).stdout)
    assert (summary[0]["format"], summary[0]["added"]) == ("jsonl", 2)
    before = json.loads(run_gazette("search", "kabul", "--json", data=data).stdout)
    after = json.loads(run_gazette("search", "kabul", "--json", data=restored).stdout)
    assert after["hits"] == before["hits"]
    markdown = tmp_path / "md"
    run_gazette("export", "--format", "markdown", "-o", str(markdown), data=data, check=True)
    assert (markdown / "2021" / "08" / "kabul-airport-overwhelmed.md").is_file()


def test_clip_a_saved_page_and_add_another_to_the_same_post(
    tmp_path: Path, shared_dir: Path
) -> None:
    folder = tmp_path / "data"
    pages = shared_dir / "fixtures" / "html"
    first = run_gazette("clip", str(pages / "bbc.com.52241221.html"), "--json", data=folder)
    assert json.loads(first.stdout)[0]["added"] == 1, first.stderr
    (post,) = json.loads(run_gazette("list", "--json", data=folder, check=True).stdout)
    second = run_gazette(
        "clip", str(pages / "theguardian.com.academics.html"), "--post", str(post["id"]), "--json",
        data=folder,
    )  # fmt: skip
    assert json.loads(second.stdout)[0]["updated"] == 1, second.stderr
    shown = json.loads(run_gazette("show", str(post["id"]), "--json", data=folder).stdout)
    assert shown["title"] == post["title"]
    assert len(json.loads(run_gazette("list", "--json", data=folder).stdout)) == 1


def test_feeds_add_list_and_a_failing_poll(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    added = run_gazette(
        "feeds", "add", "http://127.0.0.1:9/feed.xml", "--label", "Wire", data=folder
    )
    assert added.returncode == 0 and "Following http://127.0.0.1:9/feed.xml" in added.stdout
    (feed,) = json.loads(run_gazette("feeds", "list", "--json", data=folder, check=True).stdout)
    assert (feed["url"], feed["label"], feed["error"]) == (
        "http://127.0.0.1:9/feed.xml",
        "Wire",
        None,
    )
    polled = run_gazette("feeds", "poll", "--timeout", "2", data=folder)
    assert polled.returncode == 1
    assert "http://127.0.0.1:9/feed.xml" in polled.stderr
    (feed,) = json.loads(run_gazette("feeds", "list", "--json", data=folder).stdout)
    assert feed["error"]
    bad = run_gazette("feeds", "add", "ftp://example.org/feed", data=folder)
    assert bad.returncode == 1 and "error:" in bad.stderr


def test_search_marks_partial_matches_and_offers_related_words(data: Path) -> None:
    result = run_gazette("search", "kabul runway", data=data, check=True)
    assert "— posts that match some of the words —" in result.stdout
    separator = result.stdout.index("— posts that match some")
    assert result.stdout.index("Kabul airport overwhelmed") < separator
    assert separator < result.stdout.index("Pakistan watches the Taliban advance")
    related = run_gazette("search", "runway", "--related", "--json", data=data, check=True)
    assert json.loads(related.stdout)["total"] >= 1


def test_search_and_show_print_versions_of_one_story_and_related_posts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with resources.as_file(resources.files("gazette") / "samples" / "gazette-sample.txt") as path:
        run_gazette("import", str(path), data=data, check=True)
    found = run_gazette("search", "torkham queues", data=data, check=True).stdout
    assert "+ 1 other version:" in found
    assert "Deadline day at the border, as the wire told it" in found.split("+ 1 other version:")[1]
    shown = run_gazette(
        "show", "/2023/11/deadline-day-at-the-border-as-the-wire-told-it", data=data, check=True
    ).stdout
    versions = shown.split("Other versions of “Afghans queue at Torkham", 1)[1]
    assert "(AP) — Queues at Torkham as the deadline for undocumented Afghans passes" in versions
    related = shown.split("Related posts:", 1)[1]
    assert "Factbox: why Pakistan is sending Afghans home" in related
    as_json = json.loads(
        run_gazette(
            "show", "/2023/11/deadline-day-at-the-border-as-the-wire-told-it", "--json", data=data
        ).stdout
    )
    (version,) = as_json["clips"][0]["versions"]
    assert version["outlet"] == "AP" and version["title"].startswith("Queues at Torkham")
    assert version["headline"] == "Trucks and families wait at the Durand Line crossing"
    assert "Factbox: why Pakistan is sending Afghans home" in [
        p["title"] for p in as_json["related"]
    ]
