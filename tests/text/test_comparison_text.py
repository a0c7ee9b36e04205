"""Pure comparison math against hand-computed values."""

import math
from collections import Counter

import pytest

from app.text.framing import candidate_actors, log_odds, name_mentions, tokens
from app.text.numbers import numbers_disagree, quantities
from app.text.segments import segments
from app.text.similarity import most_similar, sentences


def test_log_odds_matches_the_hand_computed_z_score():
    # A: x 2, y 1; B: x 1, y 2. Pooled x 3, y 3 of 6; prior a0 = 6 gives a_x = a_y = 3.
    # delta_x(A) = log(5/4) - log(4/5); var = 1/5 + 1/4; z = delta / sqrt(var) = 0.66529.
    result = log_odds({"A": Counter(x=2, y=1), "B": Counter(x=1, y=2)}, prior_size=6)
    expected = (math.log(5 / 4) - math.log(4 / 5)) / math.sqrt(1 / 5 + 1 / 4)
    (x_a, y_a) = result["A"]
    assert (x_a.word, y_a.word) == ("x", "y")
    assert x_a.z == pytest.approx(expected) == pytest.approx(0.665285, abs=1e-6)
    assert y_a.z == pytest.approx(-expected)
    assert result["B"][0].word == "y" and result["B"][0].z == pytest.approx(expected)


def test_words_used_equally_are_not_distinctive():
    result = log_odds({"A": Counter(camp=3, liberty=1), "B": Counter(camp=3, liberty=1)})
    assert [t.z for t in result["A"]] == pytest.approx([0.0, 0.0])
    single = log_odds({"A": Counter(camp=3), "B": Counter(camp=3)})
    assert single["A"][0].z == 0.0  # one word is the whole vocabulary: nothing to compare


def test_tokens_skip_stop_words_and_keep_hyphenated_names():
    assert tokens("The MEK and the Mujahedin-e-Khalq said it was 280 people.") == [
        "mek",
        "mujahedin-e-khalq",
        "people",
    ]


def test_actor_names_are_counted_whole_word_in_any_case():
    counts = name_mentions("MKO terrorists; the mko cult. MEK? Not MEKONG.", ["MKO", "MEK", "cult"])
    assert counts == Counter(MKO=2, MEK=1, cult=1)


def test_each_mention_counts_once_for_the_longest_name():
    text = (
        "The People’s  Mojahedin Organization of Iran (PMOI) said. Mojahedin members left; "
        "the Mujahedin-e Khalq, the people's mojahedin organization of iran."
    )
    counts = name_mentions(
        text,
        ["People's Mojahedin Organization of Iran", "PMOI", "Mojahedin", "Mujahedin-e Khalq"],
    )
    assert counts == Counter(
        {
            "People's Mojahedin Organization of Iran": 2,
            "PMOI": 1,
            "Mojahedin": 1,
            "Mujahedin-e Khalq": 1,
        }
    )


def test_no_names_no_mentions():
    assert name_mentions("Anything at all.", []) == Counter()


def test_candidate_actors_are_names_several_outlets_use():
    texts = {
        "A": "Officials said the MEK left Camp Liberty. However, Maryam Rajavi spoke in Paris.",
        "B": "The MEK, led by Maryam Rajavi, left Camp Liberty for Albania on Friday.",
        "C": "In Tehran, officials called the MEK a cult. Camp Liberty is empty.",
    }
    found = candidate_actors(texts)
    names = [c.phrase for c in found]
    assert names[:2] == ["MEK", "Camp Liberty"]  # three outlets each, then by count
    assert "Maryam Rajavi" in names
    # One outlet's words, sentence starters and weekdays are not candidates.
    for phrase in ("Paris", "Albania", "Officials", "However", "Friday", "In", "Tehran"):
        assert phrase not in names
    assert "MEK" not in [c.phrase for c in candidate_actors(texts, known=["mek"])]


@pytest.mark.parametrize(
    ("passage", "expected"),
    [
        ("24 residents were killed on October 28, 2015", {"24"}),
        ("at least eight times since the 1980s", {"8"}),
        ("dozens of MEK members", {"dozens"}),
        ("nearly 2,000 residents in 2016", {"2000"}),
        ("on 9/9/2016 they left", set()),
    ],
)
def test_quantities_leave_out_years_and_dates(passage, expected):
    assert quantities(passage) == expected


def test_numbers_disagree_when_two_passages_share_no_quantity():
    assert numbers_disagree(["five missile attacks", "attacked at least eight times"])
    assert numbers_disagree(["24 killed", "dozens of dead"])
    assert not numbers_disagree(["the last 280 residents", "280 members, nearly 2,000 in all"])
    assert not numbers_disagree(["280 left", "they left on Friday"])  # one states no number


def test_segments_cut_at_every_boundary_innermost_first():
    text = "abcdefghij"
    segs = segments(text, [(1, 0, 6), (2, 2, 4)])
    assert [(s.text, s.claims) for s in segs] == [
        ("ab", (1,)),
        ("cd", (2, 1)),
        ("ef", (1,)),
        ("ghij", ()),
    ]
    assert "".join(s.text for s in segs) == text


def test_sentences_keep_code_point_offsets():
    text = "Residents 🇦🇱 cheered loudly. The buses left at dawn!\nOfficials said nothing more."
    for s in sentences(text):
        assert text[s.start : s.end] == s.text
    assert [s.text for s in sentences(text)][1] == "The buses left at dawn!"


def test_most_similar_ranks_the_paraphrase_first():
    ranked = most_similar(
        "280 residents left Camp Liberty for Albania",
        [
            "The weather in Baghdad was hot.",
            "The last 280 members left their camp and were relocated to Albania.",
            "Albania has a history of accepting refugees.",
        ],
    )
    assert ranked[0][0] == 1
