"""Splitting posts into clips: the seed page against its truth file, and the splitter's rules."""

from __future__ import annotations

import json
from collections.abc import Hashable
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from gazette.clips import parse_article, split_post
from gazette.clips.split import classify
from gazette.ingest import blogpage
from gazette.model import Clip

TRUTH = Path(__file__).with_name("seed_truth.json")
FIELDS = ("headline", "outlet", "authors", "date", "dateline")
"""Scored per clip; ``date`` is the pair (published, updated), both as calendar dates."""
REQUIRED = 0.9
SAME_HEADLINE = 0.6
"""Headline similarity (difflib ratio) above which a predicted clip is matched to a true one."""


def _fold(text: str) -> str:
    quotes = str.maketrans("‘’“”", "''\"\"")
    return " ".join(text.translate(quotes).casefold().split())


def _day(value: datetime | str | None) -> str | None:
    return value.date().isoformat() if isinstance(value, datetime) else value


def _fields(clip: Clip | dict) -> dict[str, Hashable | None]:
    """The scored fields of a predicted Clip or a truth record, comparable, None if empty."""
    get = clip.get if isinstance(clip, dict) else lambda name: getattr(clip, name)
    dates = (_day(get("published")), _day(get("updated")))
    return {
        "headline": _fold(get("headline")) or None,
        "outlet": get("outlet") or None,
        "authors": tuple(get("authors")) or None,
        "date": dates if any(dates) else None,
        "dateline": get("dateline") or None,
    }


def _match(predicted: list[dict], truth: list[dict]) -> list[tuple[int, int]]:
    """Pairs (predicted, true) of clips of one post, greedily by headline similarity."""
    scored = sorted(
        (
            (SequenceMatcher(None, p["headline"], t["headline"]).ratio(), i, j)
            for i, p in enumerate(predicted)
            for j, t in enumerate(truth)
        ),
        reverse=True,
    )
    pairs: list[tuple[int, int]] = []
    used_p: set[int] = set()
    used_t: set[int] = set()
    for ratio, i, j in scored:
        if ratio >= SAME_HEADLINE and i not in used_p and j not in used_t:
            pairs.append((i, j))
            used_p.add(i)
            used_t.add(j)
    return pairs


def score(predicted: list[list[dict]], truth: list[list[dict]]) -> dict[str, tuple[float, float]]:
    """Precision and recall of each field over all clips of all posts.

    Precision: of the clips given a value, the share whose value is right; recall: of the
    true clips that have a value, the share given that value. An unmatched clip counts
    against both.
    """
    right = dict.fromkeys(FIELDS, 0)
    given = dict.fromkeys(FIELDS, 0)
    present = dict.fromkeys(FIELDS, 0)
    for post_predicted, post_truth in zip(predicted, truth, strict=True):
        for name in FIELDS:
            given[name] += sum(clip[name] is not None for clip in post_predicted)
            present[name] += sum(clip[name] is not None for clip in post_truth)
        for i, j in _match(post_predicted, post_truth):
            for name in FIELDS:
                value = post_predicted[i][name]
                right[name] += value is not None and value == post_truth[j][name]
    return {
        name: (right[name] / given[name] if given[name] else 1.0, right[name] / present[name])
        for name in FIELDS
    }


def test_seed_page_clips_match_the_truth(shared_dir: Path) -> None:
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    seed = shared_dir / truth["seed"]
    posts = blogpage.parse(seed.read_bytes(), str(seed)).posts
    assert [(f"{p.published:%Y-%m-%d}", p.title) for p in posts] == [
        (p["date"], p["title"]) for p in truth["posts"]
    ]
    predicted = [[_fields(c) for c in split_post(p.title, p.body_text)] for p in posts]
    expected = [[_fields(c) for c in p["clips"]] for p in truth["posts"]]

    table = score(predicted, expected)

    print(f"\n{'field':<10} {'precision':>9} {'recall':>7}   (seed page, {len(posts)} posts)")
    for name, (precision, recall) in table.items():
        print(f"{name:<10} {precision:>9.3f} {recall:>7.3f}")
    assert sum(map(len, predicted)) == sum(map(len, expected))
    assert all(p >= REQUIRED and r >= REQUIRED for p, r in table.values()), table


def test_seed_bodies_keep_out_furniture(shared_dir: Path) -> None:
    seed = shared_dir / "seeds" / "000_e93157cd53edb4b4.txt"
    parts = [
        clip
        for post in blogpage.parse(seed.read_bytes(), str(seed)).posts
        for clip in split_post(post.title, post.body_text)
    ]
    bodies = "\n".join(clip.body for clip in parts)
    for furniture in (
        "1 of 11",
        "1 / 25",
        "(AP Photo/",
        "Reporting by",
        "PHOTOS 123",
        "Published in Dawn",
        "originally published on NBCNews.com",
        "Credit: Radio Free Europe",
        "contributed to this report",
        "A Police officer checks documents",
        "Humvees that belong to Afghan Special Forces",
        "What rise of Taliban means for Pakistan",
        "USIP report fears",
        "THE TALIBAN WERE CREATED",
        "PESHAWAR, Pakistan (AP)",
        "By KATHY GANNON",
        "LAST UPDATED",
    ):
        assert furniture not in bodies, furniture
    credits = [credit for clip in parts for credit in clip.credits]
    assert "AP Photo/Fareed Khan" in credits
    assert any(credit.startswith("Reporting by Ariba Shahid") for credit in credits)
    captions = [caption for clip in parts for caption in clip.captions]
    assert any(caption.startswith("A Police officer checks documents") for caption in captions)


POST = """\
By KATHY GANNON

1 of 11

FILE - Afghan President Ashraf Ghani, right, meets Pakistan's prime minister in Kabul, \
Afghanistan. (AP Photo/Rahmat Gul, File)

PESHAWAR, Pakistan (AP) — When Wahab disappeared from his home, it was in Pakistan that he \
got his training.

The 20-year-old was recruited by childhood friends.

Related coverage: why the border matters

(Reporting by Jane Doe; Editing by John Roe)

Border crossing swamped after expulsion order

Mushtaq Ali
Updated Thu, November 2, 2023

Families wait at the crossing, in Chaman

By Mushtaq Ali

PESHAWAR, Pakistan (Reuters) -Thousands of people swamped the main border crossing on Thursday.

BORDER BOTTLENECK

More than 24,000 Afghans crossed the northwestern Torkham crossing on Wednesday alone.
"""


def test_split_post_reads_headers_and_cleans_bodies() -> None:
    first, second = split_post("Some Afghans blame Pakistan", POST)

    assert first == Clip(
        position=0,
        headline="Some Afghans blame Pakistan",
        body="When Wahab disappeared from his home, it was in Pakistan that he got his training."
        "\n\nThe 20-year-old was recruited by childhood friends.",
        outlet="AP",
        authors=["Kathy Gannon"],
        dateline="PESHAWAR, Pakistan",
        captions=[
            "Afghan President Ashraf Ghani, right, meets Pakistan's prime minister in Kabul, "
            "Afghanistan."
        ],
        credits=["Reporting by Jane Doe; Editing by John Roe", "AP Photo/Rahmat Gul, File"],
    )
    assert second.headline == "Border crossing swamped after expulsion order"
    assert second.authors == ["Mushtaq Ali"]
    assert second.outlet == "Reuters"
    assert second.updated == datetime(2023, 11, 2, tzinfo=UTC)
    assert second.published is None
    assert second.captions == ["Families wait at the crossing, in Chaman"]
    assert second.body.startswith("Thousands of people swamped")
    assert "BORDER BOTTLENECK" in second.body


def test_split_post_returns_model_clips_in_order() -> None:
    clips = split_post("Some Afghans blame Pakistan", POST)
    assert [type(clip) for clip in clips] == [Clip, Clip]
    assert [clip.position for clip in clips] == [0, 1]
    assert clips[1].headline == "Border crossing swamped after expulsion order"


def test_a_post_without_clip_headers_is_one_clip() -> None:
    body = "First paragraph of the story.\n\nA subheading\n\nMore of the story follows here."
    (clip,) = split_post("The title", body)
    assert clip.headline == "The title"
    assert clip.body == body


def test_the_text_may_open_with_its_own_headline() -> None:
    body = (
        "Suicide bombers hit army post near Mir Ali\nBy Staff Correspondent\n"
        "MIR ALI, Pakistan (Dawn) — Attackers drove a vehicle into a security post.\n\n"
        "Rights groups urge a pause\n"
        "GENEVA (Reuters) — Human rights organisations asked Islamabad to halt the expulsions."
    )
    first, second = split_post("Soldiers killed in North Waziristan", body)
    assert (first.headline, first.outlet, first.dateline) == (
        "Suicide bombers hit army post near Mir Ali",
        "Dawn",
        "MIR ALI, Pakistan",
    )
    assert first.body == "Attackers drove a vehicle into a security post."
    assert (second.headline, second.outlet) == ("Rights groups urge a pause", "Reuters")


def test_a_standfirst_may_come_between_headline_and_header() -> None:
    body = (
        "The first story ends here, as stories do.\n\n"
        "Related: The Costs\n\n"
        "'How Can Pakistan Hunt Them Down?'\nPM Calls Taliban 'Normal Civilians'\n\n"
        "Imran Khan stressed that Pakistan hosts three million Afghan refugees.\n\n"
        "THE TALIBAN WERE CREATED BY THE PAKISTAN SECRET SERVICE UNDER BENAZIR BHUTTO\n\n"
        " NEWS18.COM\n\nLAST UPDATED:JULY 29, 2021,\n\n"
        "Pakistan Prime Minister Imran Khan has called Taliban normal civilians."
    )
    first, second = split_post("First story", body)
    assert first.body == "The first story ends here, as stories do."
    assert second.headline == (
        "'How Can Pakistan Hunt Them Down?' PM Calls Taliban 'Normal Civilians'"
    )
    assert (second.outlet, second.updated) == ("News18", datetime(2021, 7, 29, tzinfo=UTC))
    assert second.body == (
        "Imran Khan stressed that Pakistan hosts three million Afghan refugees.\n\n"
        "Pakistan Prime Minister Imran Khan has called Taliban normal civilians."
    )


def test_subheadings_are_not_clips() -> None:
    body = (
        "The sudden expulsion threat came after suicide bombings this year.\n\n"
        "WHY IS PAKISTAN DEPORTING FOREIGNERS?\n\n"
        "Pakistani authorities said Afghan nationals were involved in attacks.\n\n"
        "Strategic contradictions\n\n"
        "Many Afghan and Western officials accuse Islamabad of providing safe havens."
    )
    (clip,) = split_post("Factbox", body)
    assert "WHY IS PAKISTAN DEPORTING FOREIGNERS?" in clip.body
    assert "Strategic contradictions" in clip.body


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (
            "By Ayaz Gul\nJuly 28, 2021\n\nISLAMABAD - Pakistan's prime minister says.",
            "Pakistan's prime minister says.",
        ),
        ("NEW YORK, March 3 - Shares rose. Reuter", "Shares rose."),
        (
            "Reuters\nThu, November 2, 2023\n\nKARACHI, Pakistan (Reuters) - The deadline passed.",
            "The deadline passed.",
        ),
        (
            "MUNIR AHMED and RIAZ KHAN\nUpdated Wed, November 1, 2023\n\n1 / 25\nA caption "
            "here.\n(AP Photo/Habibullah Achakzai)\n\nISLAMABAD (AP) — Security forces acted.",
            "Security forces acted.",
        ),
        (
            "Storyful\nTue, October 31, 2023\n\nThousands left. Credit: RFE/RL via Storyful",
            "Thousands left.",
        ),
        (
            "The story.\n\n___\n\nKhan reported from Peshawar. Associated Press writer Rahim "
            "Faiez contributed to this report.",
            "The story.",
        ),
    ],
)
def test_an_articles_body_keeps_only_the_article(text: str, body: str) -> None:
    assert parse_article("", text).body == body


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Reuters" + " ." * 30, ["OUTLET"]),
        ("ANALYSIS" + " :" * 30, ["LABEL"]),
        ("The Radio Free Europe/Radio Liberty", ["OUTLET"]),
        ("www." + "x" * 150 + ".com", ["OUTLET"]),
        ("_" * 150, ["SEPARATOR"]),
        ("Wed" + "nes" * 20 + "day, March 3, 2021", ["DATE"]),
        ("First published in Dawn, Thursday, February 16, 2023 10:15 PM PKT", ["DATE"]),
        ("(AP Photo/Fareed Khan, with a long description of the agency)", ["PHOTO_CREDIT"]),
        ("By Jane Doe and John Roe, Associated Press writers in Islamabad", ["BYLINE"]),
        ("Related articles", ["WIDGET"]),
        ("Read more: " + "more words " * 10, ["WIDGET"]),
        ("Video", ["WIDGET"]),
        ("Video\nPeshawar residents queue for flour", ["LABEL", "TEXT"]),
        ("JEFF M. SMITH\nNOVEMBER 12, 2021", ["NAMES", "DATE"]),
        ("The company said on Thursday it would cut 300 jobs.", ["TEXT"]),
    ],
)
def test_a_lines_kind_does_not_depend_on_its_length(text: str, kinds: list[str]) -> None:
    """Long lines are spared the tests only short ones can pass, but not the others."""
    assert [line.kind.name for line in classify(text)] == kinds


def test_lines_are_whitespace_normalised() -> None:
    text = "  Two\tspaces  here \r\nand\u00a0there\n \n\u2028Next\u200b paragraph\n\n\n"
    assert [(line.text, line.paragraph, line.first) for line in classify(text)] == [
        ("Two spaces here", 0, True),
        ("and there", 0, False),
        ("Next paragraph", 1, True),
    ]
