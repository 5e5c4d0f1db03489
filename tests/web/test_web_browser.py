"""A reader's path through the blog in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

from datetime import date
from pathlib import Path


def test_search_sort_and_read_a_post(browser, base_url: str, screenshots: Path) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(base_url + "/")
        assert page.title() == "All posts · Gazette"
        page.screenshot(path=screenshots / "1-home.png", full_page=True)

        page.get_by_label("Search posts").fill("pakistan taliban")
        page.get_by_role("button", name="Search").first.click()
        page.wait_for_url("**/search?q=pakistan+taliban")
        header = page.locator(".status-msg")
        assert " ".join(header.inner_text().split()) == (
            "Showing posts sorted by relevance for query pakistan taliban. "
            "Sort by date | Show all posts"
        )
        assert page.locator(".snippet mark").count() > 2
        page.screenshot(path=screenshots / "2-search.png", full_page=True)

        page.get_by_role("link", name="Sort by date").click()
        page.wait_for_url("**by-date=true")
        assert "sorted by date" in header.inner_text()
        shown = page.locator(".post-list time").evaluate_all(
            "times => times.map(t => t.getAttribute('datetime'))"
        )
        days = [date.fromisoformat(value[:10]) for value in shown]
        assert len(days) > 3 and days == sorted(days, reverse=True)
        page.screenshot(path=screenshots / "3-by-date.png", full_page=True)

        page.get_by_role("link", name="Show all posts").click()
        page.wait_for_url(base_url + "/")
        page.screenshot(path=screenshots / "4-all-posts.png", full_page=True)

        first = page.locator(".post-list h2 a").first
        title = first.inner_text()
        first.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == title
        assert page.locator(".post-body p").count() > 0
        page.screenshot(path=screenshots / "5-post.png", full_page=True)
    finally:
        page.close()


def test_keyboard_reaches_the_search_box_with_a_visible_focus(
    browser, base_url: str, screenshots: Path
) -> None:
    page = browser.new_page(viewport={"width": 400, "height": 800})
    try:
        page.goto(base_url + "/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        for _ in range(2):
            page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.id, getComputedStyle(document.activeElement).outlineStyle]"
        )
        assert focused == ["q", "solid"]
        page.screenshot(path=screenshots / "6-narrow-focus.png")
    finally:
        page.close()


def test_open_a_folded_version_then_its_related_posts(
    browser, base_url: str, screenshots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(base_url + "/search?q=torkham+queues")
        version = page.get_by_role("link", name="Deadline day at the border, as the wire told it")
        assert not version.is_visible(), "folded versions start closed"
        page.get_by_text("1 other version").click()
        assert version.is_visible()
        page.screenshot(path=screenshots / "7-versions.png", full_page=True)
        version.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Deadline day at the border, as the wire told it"
        page.get_by_text("1 other version of this story").click()
        assert page.locator(".versions a").first.is_visible()
        related = page.locator(".related a")
        assert related.count() >= 1
        page.screenshot(path=screenshots / "8-post-versions.png", full_page=True)
        name = related.first.inner_text()
        related.first.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == name
    finally:
        page.close()
