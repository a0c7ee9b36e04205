"""WebAnno TSV 3.3 read as INCEpTION writes it: UTF-16 offsets, stacked and multi-token
annotations, sub-tokens, sentences with line breaks and tabs, layers Parallax has no place
for. The files here are written for these tests in the format INCEpTION's own test suite
uses (inception-io-webanno-tsv, tsv3-suite)."""

from __future__ import annotations

import pytest

from app.interop import webanno

HEAD = "#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Span|value\n\n\n"


def _spans(content: str) -> tuple[str, list[tuple[str, str]], list[str]]:
    (doc,) = webanno.read(content.encode(), "doc/rana.tsv", "rana")
    spans = [(doc.text[s.start : s.end], s.label) for s in doc.spans]
    return doc.text, spans, [r.reason for r in doc.refused]


def test_offsets_after_an_emoji_are_utf16_units():
    text, spans, _ = _spans(
        HEAD + "#Text=We 👍🏽 the deal .\n1-1\t0-2\tWe\t_\t\n1-2\t3-7\t👍🏽\t_\t\n"
        "1-3\t8-11\tthe\tclaim[1]\t\n1-4\t12-16\tdeal\tclaim[1]\t\n1-5\t17-18\t.\t_\t\n"
    )
    assert text == "We 👍🏽 the deal ."
    assert spans == [("the deal", "claim")]


def test_a_span_across_two_sentences_and_stacked_annotations():
    text, spans, _ = _spans(
        HEAD + "#Text=Ports shut .\n1-1\t0-5\tPorts\tA[1]|*[2]\t\n1-2\t6-10\tshut\tA[1]|*[2]\t\n"
        "1-3\t11-12\t.\tA[1]\t\n\n#Text=Ships wait .\n2-1\t13-18\tShips\tA[1]|B\t\n"
        "2-2\t19-23\twait\t_\t\n2-3\t24-25\t.\t_\t\n"
    )
    assert text == "Ports shut .\nShips wait ."
    assert sorted(spans) == [("Ports shut", "Span"), ("Ports shut .\nShips", "A"), ("Ships", "B")]


def test_line_breaks_tabs_escapes_sub_tokens_and_empty_spans():
    text, spans, refused = _spans(
        HEAD + "#Text=Dock\\tworkers\n#Text=strike_now\n1-1\t0-4\tDock\t\\_x\\|y\t\n"
        "1-2\t5-12\tworkers\t_\t\n1-3\t13-23\tstrike\\_now\t_\t\n1-3.1\t13-19\tstrike\tS\t\n"
        "1-3.2\t19-19\t\tZ\t\n"
    )
    assert text == "Dock\tworkers\nstrike_now"
    assert sorted(spans) == [("Dock", "_x|y"), ("strike", "S")]
    assert refused == ["the span 19-19 is empty"]


def test_relations_and_chains_are_counted_and_left_out():
    (doc,) = webanno.read(
        (
            b"#FORMAT=WebAnno TSV 3.3\n#T_RL=webanno.custom.Rel|value|BT_webanno.custom.Span\n\n\n"
            b"#Text=a b\n1-1\t0-1\ta\t_\t_\t\n1-2\t2-3\tb\tsubj\t1-1\t\n"
        ),
        "x.tsv",
        None,
    )
    assert doc.spans == [] and doc.skipped == {"relations": 1}


def test_a_file_that_is_not_tsv3_is_refused_whole():
    with pytest.raises(webanno.UnreadableFile, match="does not start with"):
        list(webanno.read(b"id\ttext\n1\thello\n", "x.tsv", None))
