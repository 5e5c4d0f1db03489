"""The line patterns of clippings: bylines, dates, datelines, outlets, captions and credits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from gazette.clips import furniture
from gazette.clips.bylines import Byline, parse_byline, parse_names, person_name
from gazette.clips.datelines import Dateline, split_dateline
from gazette.clips.dates import DateLine, parse_date_line
from gazette.clips.outlets import canonical, mentioned, outlet_line
from gazette.clips.split import headline_shape


def day(year: int, month: int, date: int) -> datetime:
    return datetime(year, month, date, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By KATHY GANNON", Byline(("Kathy Gannon",))),
        ("By Ayaz Gul", Byline(("Ayaz Gul",))),
        ("BY JEFF M. SMITH", Byline(("Jeff M. Smith",))),
        ("By Azizullah Khan & Kelly Ng", Byline(("Azizullah Khan", "Kelly Ng"))),
        ("By Jane Doe, Associated Press", Byline(("Jane Doe",), "AP")),
        ("By Jane Doe | BBC News", Byline(("Jane Doe",), "BBC")),
        ("By Jane Doe, Islamabad", Byline(("Jane Doe",))),
        ("By José Álvarez and O'BRIEN MCDONALD", Byline(("José Álvarez", "O'Brien Mcdonald"))),
        ("By Anwaar-ul-Haq Kakar", Byline(("Anwaar-ul-Haq Kakar",))),
        ("By Reuters staff", Byline((), "Reuters")),
        ("By AP reporters", Byline((), "AP")),
        ("By DW correspondent", Byline((), "DW")),
        ("By Staff Correspondent", Byline()),
        ("By early 2005 the net could have two new domain names.", None),
        ("By contrast, said Mr Purushotma, learning via something like The Sims", None),
        ("By playing games, like pass-the-parcel, a team is finding out", None),
        ("By 2025, 40% of the UK's population will still be offline", None),
        ("Byron Smith said", None),
    ],
)
def test_bylines(line: str, expected: Byline | None) -> None:
    assert parse_byline(line) == expected


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("MUNIR AHMED and RIAZ KHAN", ("Munir Ahmed", "Riaz Khan")),
        ("Mushtaq Ali", ("Mushtaq Ali",)),
        ("JEFF M. SMITH", ("Jeff M. Smith",)),
        ("Azizullah Khan & Kelly Ng - in Peshawar and Singapore", ("Azizullah Khan", "Kelly Ng")),
        (
            "Mushtaq Yusufzai and Jennifer Jett and Samra Zulfaqar",
            ("Mushtaq Yusufzai", "Jennifer Jett", "Samra Zulfaqar"),
        ),
        ("Abdul Sattar bin Khalid al Harbi", ("Abdul Sattar bin Khalid al Harbi",)),
    ],
)
def test_bare_names(line: str, authors: tuple[str, ...]) -> None:
    found = parse_names(line)
    assert found is not None and found.authors == authors


@pytest.mark.parametrize(
    "line",
    [
        "Associated Press",
        "Haqqani’s Aces",
        "Strategic contradictions",
        "COMMENTARY",
        "The Rise of Siraj",
        "FRANKFURT BOURSE EXTENDS TRADING HOURS",
        "Staff Reporter",
    ],
)
def test_not_bare_names(line: str) -> None:
    assert parse_names(line) is None


def test_person_name_title_cases_capitals_only() -> None:
    assert person_name("KATHY  GANNON") == "Kathy Gannon"
    assert person_name("Kelly Ng") == "Kelly Ng"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published February 16, 2023", DateLine(day(2023, 2, 16))),
        ("Updated Thu, November 2, 2023", DateLine(day(2023, 11, 2), updated=True)),
        ("LAST UPDATED:JULY 29, 2021,", DateLine(day(2021, 7, 29), updated=True)),
        ("Published in Dawn, February 17th, 2023", DateLine(day(2023, 2, 17), outlet="Dawn")),
        ("July 28, 2021", DateLine(day(2021, 7, 28))),
        ("NOVEMBER 12, 2021", DateLine(day(2021, 11, 12))),
        ("Wed, November 1, 2023", DateLine(day(2023, 11, 1))),
        ("Tue, October 31, 2023", DateLine(day(2023, 10, 31))),
        ("1 November 2023", DateLine(day(2023, 11, 1))),
        ("Sept. 3, 2022", DateLine(day(2022, 9, 3))),
        ("2023-11-02", DateLine(day(2023, 11, 2))),
        ("Posted on March 3, 2024", DateLine(day(2024, 3, 3))),
        (
            "Updated November 2, 2023 10:15 PM GMT",
            DateLine(datetime(2023, 11, 2, 22, 15, tzinfo=UTC), updated=True),
        ),
        (
            "Updated 10:41 AM EDT, Wed November 1, 2023",
            DateLine(
                datetime(2023, 11, 1, 10, 41, tzinfo=timezone(timedelta(hours=-4))), updated=True
            ),
        ),
        (
            "November 2, 2023, 9:05 a.m. PKT",
            DateLine(datetime(2023, 11, 2, 9, 5, tzinfo=timezone(timedelta(hours=5)))),
        ),
    ],
)
def test_date_lines(line: str, expected: DateLine) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "February 30, 2023",
        "His funeral took place on July 11.",
        "On September 4, 2018, the Taliban announced that Jalaluddin had died.",
        "March 2023",
        "Thursday",
    ],
)
def test_not_date_lines(line: str) -> None:
    assert parse_date_line(line) is None


@pytest.mark.parametrize(
    ("paragraph", "dateline", "rest"),
    [
        (
            "PESHAWAR, Pakistan (AP) — When Wahab",
            Dateline("PESHAWAR, Pakistan", "AP"),
            "When Wahab",
        ),
        (
            "KARACHI, Pakistan (Reuters) - Pakistan's deadline",
            Dateline("KARACHI, Pakistan", "Reuters"),
            "Pakistan's deadline",
        ),
        (
            "PESHAWAR, Pakistan (Reuters) -Thousands of people",
            Dateline("PESHAWAR, Pakistan", "Reuters"),
            "Thousands of people",
        ),
        ("WASHINGTON: Afghanistan’s Taliban", Dateline("WASHINGTON"), "Afghanistan’s Taliban"),
        (
            "ISLAMABAD - Pakistan’s prime minister",
            Dateline("ISLAMABAD"),
            "Pakistan’s prime minister",
        ),
        ("ISLAMABAD (AP) — Major aid agencies", Dateline("ISLAMABAD", "AP"), "Major aid agencies"),
        (
            "MIR ALI, Pakistan (Dawn) — Attackers",
            Dateline("MIR ALI, Pakistan", "Dawn"),
            "Attackers",
        ),
        ("WASHINGTON, D.C. — The", Dateline("WASHINGTON, D.C."), "The"),
        ("NEW YORK, March 3 - Shares rose", Dateline("NEW YORK, March 3"), "Shares rose"),
        ("NEW YORK , April 13 - Prices", Dateline("NEW YORK, April 13"), "Prices"),
        ("New York, June 1 - Prices", Dateline("New York, June 1"), "Prices"),
        ("st joseph, april 7 - the grain", Dateline("st joseph, april 7"), "the grain"),
        ("WAUSAU, WIS., March 17 - Co", Dateline("WAUSAU, WIS., March 17"), "Co"),
        ("RICHMOND, Va. Feb 26 - Qtly div", Dateline("RICHMOND, Va. Feb 26"), "Qtly div"),
        ("MONTREAL, Feb 26- Shr 1.11 dlrs", Dateline("MONTREAL, Feb 26"), "Shr 1.11 dlrs"),
        ("AMSTERDAM, 2 March - The bank", Dateline("AMSTERDAM, 2 March"), "The bank"),
        (
            "BUDAPEST, April 7, Reuter - Hungary",
            Dateline("BUDAPEST, April 7", "Reuters"),
            "Hungary",
        ),
        (
            "RIO DE JANEIRO, MARCH 25 - THE BANK SAID",
            Dateline("RIO DE JANEIRO, MARCH 25"),
            "THE BANK SAID",
        ),
        (
            "KABUL, Afghanistan, Nov. 1 (Reuters) - The",
            Dateline("KABUL, Afghanistan, Nov. 1", "Reuters"),
            "The",
        ),
    ],
)
def test_datelines(paragraph: str, dateline: Dateline, rest: str) -> None:
    assert split_dateline(paragraph) == (dateline, rest)


@pytest.mark.parametrize(
    "paragraph",
    [
        "FILE - In this Nov. 19, 2020 file photo, Afghan President Ashraf Ghani",
        "PAKISTAN: HOW ISLAMIST MILITANCY WRECKED A TRIBAL WOMAN'S LIFE",
        "AUSTRALIAN MANUFACTURERS EXPECT DOWNTURN - SURVEY",
        "IF the analysis of an American government think tank is accurate",
        "COVID-19 cases rose again",
        "ISLAMABAD-based analysts say",
        "NOTE: Dividend is payable April one",
        "The Venice summit on June 8-10 is likely to disappoint",
        "In London, some 20 - 30 people gathered",
        "Thousands of Afghans living in Pakistan have raced to the border",
    ],
)
def test_not_datelines(paragraph: str) -> None:
    assert split_dateline(paragraph) == (None, paragraph)


@pytest.mark.parametrize(
    ("name", "outlet"),
    [
        ("Associated Press", "AP"),
        ("The Associated Press", "AP"),
        (" NEWS18.COM", "News18"),
        ("NBCNews.com", "NBC News"),
        ("BBC Urdu", "BBC"),
        ("Deutsche Welle", "DW"),
        ("Voice of America", "VOA"),
        ("Independent", "The Independent"),
        ("Dawn", "Dawn"),
        ("Mushtaq Ali", None),
        ("News", None),
    ],
)
def test_outlets(name: str, outlet: str | None) -> None:
    assert canonical(name) == outlet


def test_outlet_lines_and_mentions() -> None:
    assert outlet_line("Storyful") == "Storyful"
    assert outlet_line("warontherocks.com") == "War on the Rocks"
    assert outlet_line("example-news.org") == "example-news.org"
    assert outlet_line("Reuters reported") is None
    assert mentioned("Additional reporting by S. Khan, DW's correspondent in Islamabad.") == "DW"
    assert mentioned("This article was originally published on NBCNews.com") == "NBC News"
    assert mentioned("the independent Pakistan Institute of Peace Studies") is None


@pytest.mark.parametrize(
    ("line", "counter"),
    [("1 of 11", True), ("1 / 25", True), ("Photo 3 of 9", True), ("10 of the 11", False)],
)
def test_slideshow_counters(line: str, counter: bool) -> None:
    assert furniture.is_counter(line) is counter


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("(AP Photo/Fareed Khan)", "AP Photo/Fareed Khan"),
        ("(Associated Press)", "Associated Press"),
        (
            " (Rizwan Tabassum / AFP via Getty Images)".strip(),
            "Rizwan Tabassum / AFP via Getty Images",
        ),
        ("(Mushtaq Yusufzai / NBC News)More", "Mushtaq Yusufzai / NBC News"),
        ("Photo: Reuters", "Reuters"),
        ("Image source, Getty Images", "Getty Images"),
        ("(U.S.)", None),
        ("Picture, if you will, a city at night", None),
        ("(Reporting by Jane Doe; Editing by John Roe)", None),
    ],
)
def test_photo_credits(line: str, credit: str | None) -> None:
    assert furniture.photo_credit(line) == credit


def test_captions_and_their_credits() -> None:
    assert furniture.trailing_photo_credit(
        "FILE - Afghan President Ashraf Ghani in Kabul. (AP Photo/Rahmat Gul, File)"
    ) == ("FILE - Afghan President Ashraf Ghani in Kabul.", "AP Photo/Rahmat Gul, File")
    assert furniture.trailing_photo_credit("He said it was (very) late.") is None
    assert furniture.trailing_media_credit("Refugees crossed. Credit: RFE/RL via Storyful") == (
        "Refugees crossed.",
        "RFE/RL via Storyful",
    )
    assert furniture.caption("FILE - Children play in Lahore.", True) == "Children play in Lahore."
    assert furniture.caption("Image caption, Refugees arrive in trucks", True) == (
        "Refugees arrive in trucks"
    )
    late = "Humvees are seen destroyed in Kandahar province, Afghanistan, July 13, 2021."
    assert furniture.caption(late, first_in_paragraph=False) == late
    assert furniture.caption(late, first_in_paragraph=True) is None


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        (
            "(Reporting by Ariba Shahid in Karachi; Writing by Shivam Patel; Editing by Clarence "
            "Fernandez)",
            "Reporting by Ariba Shahid in Karachi; Writing by Shivam Patel; Editing by Clarence "
            "Fernandez",
        ),
        (
            "Additional reporting by S. Khan, DW's correspondent in Islamabad.",
            "Additional reporting by S. Khan, DW's correspondent in Islamabad.",
        ),
        (
            "Associated Press writers Rahim Faiez and Abdul Sattar contributed to this report.",
            "Associated Press writers Rahim Faiez and Abdul Sattar contributed to this report.",
        ),
        (
            "This article was originally published on NBCNews.com",
            "This article was originally published on NBCNews.com",
        ),
        (
            "Copyright 2023 The Associated Press. All rights reserved.",
            "Copyright 2023 The Associated Press. All rights reserved.",
        ),
        ("This report was released on Tuesday by the US Institute of Peace.", None),
        ("Copyright laws were changed in 2020.", None),
        ("Reporting from the border, he said the camps were full.", None),
    ],
)
def test_credit_lines(line: str, credit: str | None) -> None:
    assert furniture.credit_line(line) == credit


def test_labels_separators_and_widgets() -> None:
    assert furniture.is_label("COMMENTARY") and furniture.is_label("LONG READ")
    assert not furniture.is_label("LONG READS ARE GOOD")
    assert furniture.is_separator("___") and not furniture.is_separator("--")
    assert furniture.is_widget(
        "MILITANT HAQQANI NETWORK - A BRIEF HISTORY\nRemnants of the war\nText. PHOTOS 123456789"
    )
    assert furniture.is_widget("Read more: Why the border matters")
    assert furniture.is_widget("Advertisement")
    assert not furniture.is_widget("More than 24,000 Afghans crossed on Wednesday.")


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("Afghan Taliban ‘unlikely to stop support for TTP’", True),
        ("Factbox-Why is Pakistan deporting over a million undocumented Afghan immigrants?", True),
        ("'How Can Pakistan Hunt Them Down?'", True),
        ("BRAZIL WANTS TO INCREASE STEEL EXPORTS TO U.S.", True),
        ("$1m payoff for former Shell boss", True),
        ("Kabul rejects the accusations.", False),
        ("“For the Taliban, the calculus is simple: Why quit when you’re ahead?”", False),
        ("The company said it would pay. Reuter", False),
        ("Taliban", False),
        ("PESHAWAR, Pakistan (AP) — When Wahab disappeared", False),
    ],
)
def test_headline_shape(text: str, shape: bool) -> None:
    assert headline_shape(text) is shape
