"""The JSON API and its OpenAPI description."""

from __future__ import annotations

import httpx
import pytest
from tests.web.conftest import SAMPLE_POSTS


def test_search(client: httpx.Client) -> None:
    response = client.get("/api/search", params={"q": "durand line", "per_page": "2"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "durand line"
    assert body["sort"] == "relevance"
    assert body["total"] == 5 and body["per_page"] == 2 and len(body["hits"]) == 2
    assert "<mark>Durand</mark>" in body["hits"][0]["snippet"]
    assert {"value": "Durand Line", "count": 4} in body["facets"]["labels"]


def test_search_by_date(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": "pakistan", "sort": "date"}).json()
    published = [hit["published"] for hit in body["hits"]]
    assert published == sorted(published, reverse=True)


def test_search_either_label(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": "label:Refugees|label:TTP"}).json()
    assert body["total"] == 7


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "best"},
        {"page": "x"},
        {"page": "0"},
        {"per_page": "1000"},
        {"page": "99999999999999999999999"},
    ],
)
def test_search_refuses_bad_parameters(client: httpx.Client, query: dict[str, str]) -> None:
    response = client.get("/api/search", params=query)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]


def test_posts(client: httpx.Client) -> None:
    body = client.get("/api/posts", params={"per_page": "5", "page": "3"}).json()
    assert body["total"] == SAMPLE_POSTS
    assert body["page"] == 3 and len(body["posts"]) == 3
    assert set(body["posts"][0]) == {
        "id", "title", "published", "labels", "snippet", "url", "matches_all", "versions"
    }  # fmt: skip


def test_one_post(client: httpx.Client) -> None:
    first = client.get("/api/posts").json()["posts"][0]
    post = client.get(f"/api/posts/{first['id']}").json()
    assert post["title"] == first["title"]
    assert post["url"] == first["url"]
    assert post["labels"] == ["Pakistan", "North Waziristan", "TTP"]
    assert post["body_html"].startswith("<p>")
    assert "Mir Ali" in post["body_text"]
    assert isinstance(post["clips"], list)
    assert "path" not in post["origin"]


@pytest.mark.parametrize(
    ("post_id", "status"), [("999999", 404), ("-1", 404), ("9" * 40, 404), ("abc", 400)]
)
def test_missing_post_is_a_json_error(client: httpx.Client, post_id: str, status: int) -> None:
    response = client.get(f"/api/posts/{post_id}")
    assert response.status_code == status
    assert "error" in response.json()


def test_labels(client: httpx.Client) -> None:
    labels = client.get("/api/labels").json()
    assert labels[0] == {"name": "Pakistan", "count": 12}
    assert {"name": "Durand Line", "count": 4} in labels


def test_archive_counts(client: httpx.Client) -> None:
    years = client.get("/api/archive").json()
    assert [year["year"] for year in years] == [2024, 2023, 2022, 2021]
    assert years[1] == {
        "year": 2023,
        "count": 5,
        "months": [
            {"month": 11, "count": 3},
            {"month": 2, "count": 1},
            {"month": 1, "count": 1},
        ],
    }


def test_unknown_api_address_is_a_json_404(client: httpx.Client) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found"}


def test_openapi_document(client: httpx.Client, base_url: str) -> None:
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": base_url}]
    assert set(document["paths"]) == {
        "/api/search",
        "/api/posts",
        "/api/posts/{post_id}",
        "/api/labels",
        "/api/archive",
    }
