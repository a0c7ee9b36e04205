"""Folding for search: the fast path gives exactly what the character table gives."""

import random

from app.text.search import _TABLE, document, fold


def test_fold_is_the_table_whatever_the_script():
    rng = random.Random(7)
    alphabet = (
        "abcXYZ 019 ,.!?\n\t\"'"  # ASCII
        "ÀÉÎõüßçÑ İıﬁ①Ｆｕｌｌ"  # accents, ligatures, full width, dotted I
        "يكىـ\u200c\u200d\u00ad\ue000"  # Arabic letters the table rewrites, joiners, facet mark
        "٠١٢۳۴۵خانه‌ام العربية"  # digits, Persian, Arabic
        "“”‘’—–…€"  # the punctuation news text carries
        "\U0001f1e6\U0001f468\u200d\U0001f469"  # emoji
    )
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert fold(text) == text.translate(_TABLE), repr(text)


def test_document_folds_both_spellings_of_a_joined_word():
    assert fold("Durrës NYT“") == "durres nyt“"
    assert document("خانه\u200cام").split("\n") == [fold("خانه ام"), fold("خانهام")]
