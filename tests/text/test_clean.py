"""The cleaner on pages written for these tests (another site, other chrome) and on the seeds."""

from datetime import date
from pathlib import Path

import pytest

from app.text.clean import clean_text, split_posts
from app.text.dates import parse_date

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

PARA = (
    "The ministry said on Tuesday that {topic} would continue for several weeks, according "
    "to officials who spoke to reporters in the capital after a meeting with local leaders."
)

ARCHIVE = f"""Harbour Watch
  • Home
  • News
    • Region
    • World
  • Contact
Harbour Watch
Harbour Watch
  • Home
  • News
    • Region
    • World
  • Contact
Copyright 2019 Harbour Watch Media

Ports

Dock workers end strike after pay deal

{PARA.format(topic="the strike talks")}

{PARA.format(topic="the pay review")}

12 March 2019 | 3 Comments
Share: Facebook | Twitter | LinkedIn | Email
Weather

Storm closes the northern ferry route

{PARA.format(topic="the ferry closure")}

Mar 11, 2019 No comments
Share: Facebook | Twitter | LinkedIn | Email
Newer Posts
Older Posts

Popular Stories

  • Ten years of the harbour bridge

    1 March 2019
  • Fishing quotas explained

    27 February 2019
  • Twitter
  • Facebook

Harbour Watch
"""

SINGLE = f"""Council approves new harbour wall

{PARA.format(topic="the harbour wall")}

Residents wrote on Facebook that the plan had been discussed for a decade, and the mayor
answered them in a long post that many shared.

{PARA.format(topic="construction")}

Follow Jane Roe on Twitter @janeroe.

2 Trackbacks / Pingbacks

  1. Council approves new harbour wall — Coastal Digest

Leave a Reply

%d bloggers like this:
"""

WITH_ABOUT = f"""{PARA.format(topic="the inquiry")}

{PARA.format(topic="the budget")}

About Coastal Monitor

Coastal Monitor is a platform run by volunteers who follow local politics closely.
"""

COMMENTS_TAIL = f"""{PARA.format(topic="the census")}

COMMENTS

Please let us know if you're having issues with commenting.
"""


def test_archive_page_splits_into_posts_with_titles_and_dates():
    posts = split_posts(ARCHIVE)
    assert [p.title for p in posts] == [
        "Dock workers end strike after pay deal",
        "Storm closes the northern ferry route",
    ]
    assert [p.published for p in posts] == [date(2019, 3, 12), date(2019, 3, 11)]
    assert posts[0].text.startswith("The ministry said on Tuesday that the strike talks")
    assert "the pay review" in posts[0].text


@pytest.mark.parametrize(
    "chrome",
    [
        "Harbour Watch",
        "Home",
        "Share:",
        "Comments",
        "Copyright",
        "Newer Posts",
        "Popular",
        "Fishing quotas",
        "Ports",
        "Weather",
    ],
)
def test_archive_posts_carry_no_site_chrome(chrome):
    for post in split_posts(ARCHIVE):
        assert chrome not in post.text


def test_single_article_page_is_one_post_without_its_tail():
    posts = split_posts(SINGLE)
    assert len(posts) == 1
    text = posts[0].text
    assert "Trackback" not in text and "Coastal Digest" not in text
    assert "Leave a Reply" not in text and "bloggers" not in text
    assert "Follow Jane Roe" not in text
    assert "the harbour wall" in text and "construction" in text


def test_prose_that_mentions_a_network_is_kept():
    assert "Residents wrote on Facebook" in clean_text(SINGLE)


def test_about_box_and_comment_section_are_cut():
    assert "Coastal Monitor" not in clean_text(WITH_ABOUT)
    assert "the budget" in clean_text(WITH_ABOUT)
    assert clean_text(COMMENTS_TAIL) == PARA.format(topic="the census")


def test_twice_scraped_caption_is_kept_once():
    caption = "A crowd gathers at the harbour gate. Photo: staff"
    text = clean_text(f"{caption}\n\n{caption}\n\n{PARA.format(topic='x')}")
    assert text.count(caption) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("July 25, 2012", date(2012, 7, 25)),
        ("12 March 2019", date(2019, 3, 12)),
        ("Sept. 9, 2016", date(2016, 9, 9)),
        ("2016-09-09", date(2016, 9, 9)),
        ("09/09/2016", date(2016, 9, 9)),
        ("not a date", None),
    ],
)
def test_dates_in_the_shapes_sites_print(value, expected):
    assert parse_date(value) == expected


def test_seed_archive_page_becomes_its_posts():
    posts = split_posts((SEEDS / "003_af98411d38f07b73.txt").read_text())
    assert len(posts) >= 8
    assert all(p.title and p.published for p in posts)
    titles = [p.title for p in posts]
    assert "UN puts forward roadmap for relocation of MKO" in titles
    assert len(set(titles)) == len(titles)


CHROME_MARKERS = [
    "•",
    "FacebookTwitter",
    "0 comments",
    "©",
    "All Rights Reserved",
    "Recent Posts",
    "Back To Top",
    "Leave a Reply",
    "Pingback",
    "Please let us know",
    "bloggers like this",
    "About Track Persia",
]


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_no_seed_text_keeps_menu_share_comment_or_footer_lines(seed):
    for post in split_posts((SEEDS / seed).read_text()):
        for marker in CHROME_MARKERS:
            assert marker not in post.text, (seed, marker)
