from app.text.normalize import content_hash, normalize_text


def test_normalization_composes_to_nfc():
    decomposed = "Cafe\u0301 Tehran"
    assert normalize_text(decomposed) == "Caf\u00e9 Tehran"


def test_line_ends_become_newlines_and_blank_runs_collapse():
    assert normalize_text("a\r\nb\rc\n\n\n\nd  \n") == "a\nb\nc\n\nd"


def test_joiners_are_kept_for_emoji_and_persian():
    family = "👨\u200d👩\u200d👧"
    persian = "می\u200cخواهم"
    assert normalize_text(f"{family} {persian}") == f"{family} {persian}"


def test_byte_order_mark_is_dropped():
    assert normalize_text("\ufeffHello") == "Hello"


def test_equal_texts_hash_equal_after_normalization():
    assert content_hash(normalize_text("x\r\ny")) == content_hash(normalize_text("x\ny\n"))
    assert content_hash("x") != content_hash("y")
