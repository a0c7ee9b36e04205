"""The cleaner never removes an article's own words, and still strips a page's menus.

Clean bodies written for this test: each must come out of `clean_text` unchanged (up to the
normalization every cleaned text gets). Dumps of news pages with `*`, `-` and `•` menus must
lose their menus, account prompts and ad lines, and keep the article."""

from __future__ import annotations

import pytest

from app.text.clean import clean_text
from app.text.normalize import normalize_text

P = (
    "Eat slowly and stop before you are full; the plan works because each meal is built from "
    "the same three parts, which makes shopping and cooking far simpler over a long week."
)

MEAL_PLAN = f"""Monday

Meal 1

Two eggs, oats with berries, and a glass of water.

Pre-Workout Meal

A banana and a handful of almonds, an hour before training.

Meal 2

Chicken, rice and greens. {P}

Tuesday

Meal 1

Greek yoghurt with honey and walnuts.

Pre-Workout Meal

Rice cakes with peanut butter.

Meal 2

Salmon, potatoes and peas. {P}

Wednesday

Meal 1

Porridge with apple.

Pre-Workout Meal

A smoothie.

Meal 2

Lentil soup and bread."""

RECIPE = f"""Method

1. Heat the oven to 200 degrees and grease a tin.

Step

Mix the flour, sugar and salt in a large bowl until there are no lumps left at all in it.

Step

Add the butter and rub it in with your fingertips. {P}

Step

Bake for 25 minutes.

Tip

Use cold butter.

Tip

Rest the dough.

Tip

Serve warm."""

FEATURES = f"""The new phone is thinner than last year's model and, the maker says, lasts \
a full day on one charge even with the screen at full brightness.

Key features:

- 6.1-inch OLED display
- Titanium frame
- USB-C port
- Three rear cameras
- Satellite messaging
- Five years of updates

* Water resistant to 6 metres
* Weighs 171 grams

• Ships in four colours
• Starts at 799 euros

{P}"""

INTERVIEW = f"""INTERVIEWER

When did the residents first hear that they would leave the camp for good?

ANNA

In the spring of 2016 we were told, but nobody believed it until the buses came and the \
first group of residents was actually driven to the airport.

INTERVIEWER

And you?

ANNA

I left with the last group. {P}

INTERVIEWER

What do you remember?

ANNA

The silence after the engines stopped, and how long the road to the airport seemed in the \
dark that night."""

POEM = """The road runs east
and the river west,
we carry the names
of the ones who rest.

Come home, come home,
the swallows say.

The wire is cut
and the gate is wide,
the buses wait
on the other side.

Come home, come home,
the swallows say.

And no one counts
the miles we crossed,
and no one weighs
the things we lost.

Come home, come home,
the swallows say."""


@pytest.mark.parametrize(
    "body",
    [MEAL_PLAN, RECIPE, FEATURES, INTERVIEW, POEM],
    ids=["plan", "recipe", "features", "interview", "poem"],
)
def test_clean_bodies_come_out_unchanged(body):
    assert clean_text(body) == normalize_text(body)


ARTICLE = [
    "The last residents of Camp Liberty left Iraq for Albania on Friday, ending a relocation "
    "that took four years and involved thousands of people, the group said in a statement.",
    "Officials in Tirana said the new arrivals would be housed near the capital while their "
    "papers were processed, and that the process would take several months in all cases.",
]


@pytest.mark.parametrize("bullet", ["*", "-", "•"])
def test_menus_prompts_and_ads_at_a_dumps_edges_are_removed(bullet):
    menu = "\n".join(
        f"{bullet} {entry}" for entry in ("Home", "World", "UK news", "Sport", "Culture")
    )
    footer = "\n".join(f"{bullet} {entry}" for entry in ("About us", "Contact", "Jobs"))
    dump = (
        f"Skip to main content\nSupport The Guardian\nSign in My account\n{menu}\n\n"
        "Click to Skip Ad\nAdvertisement\n\nCamp Liberty residents reach Albania\n\n"
        + "\n\n".join(ARTICLE)
        + f"\n\nMost viewed\n{footer}\nNewsletters\nSign up\n© 2016 Guardian News"
    )
    cleaned = clean_text(dump)
    for paragraph in ARTICLE:
        assert paragraph in cleaned
    assert "Camp Liberty residents reach Albania" in cleaned  # the headline stays
    for chrome in (
        "Support The Guardian",
        "Sign in",
        "Click to Skip Ad",
        "Advertisement",
        "Home",
        "UK news",
        "Contact",
        "Jobs",
        "Newsletters",
        "©",
    ):
        assert chrome not in cleaned, chrome
