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


# Files in each shape INCEpTION writes; reading one and writing the model back must give the
# same bytes. (INCEpTION's own reference files were checked the same way during development:
# see the closing note; they are not copied here.)
NE = "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value\n"
SLOTS = (
    "#T_SP=webanno.custom.SimpleSpan|\n#T_SP=webanno.custom.Host|"
    "ROLE_webanno.custom.Host:links_webanno.custom.Link|webanno.custom.SimpleSpan\n"
)
WRITTEN_BACK = {
    "emoji and a value-less span": HEAD
    + "#Text=Deal 😊 done\n1-1\t0-4\tDeal\t_\t\n1-2\t5-7\t😊\t*\t\n1-3\t8-12\tdone\t_\t\n",
    "stacked, multi-token, across sentences": HEAD
    + "#Text=Ports shut .\n1-1\t0-5\tPorts\tA[1]|B[2]\t\n1-2\t6-10\tshut\tA[1]|B[2]\t\n"
    "1-3\t11-12\t.\tA[1]\t\n\n#Text=Ships wait .\n2-1\t13-18\tShips\tA[1]\t\n"
    "2-2\t19-23\twait\t_\t\n2-3\t24-25\t.\t_\t\n",
    "sub-tokens, prefix, suffix and zero width": HEAD
    + "#Text=dockworkers strike\n1-1\t0-11\tdockworkers\tW[1]\t\n1-1.1\t0-4\tdock\tP\t\n"
    "1-1.2\t4-4\t\tZ\t\n1-2\t12-18\tstrike\tW[1]\t\n1-2.1\t18-18\t\t*\t\n",
    "zero width between adjacent tokens": HEAD
    + "#Text=ship.\n1-1\t0-4\tship\t_\t\n1-1.1\t4-4\t\t*\t\n1-2\t4-5\t.\t_\t\n",
    "part of two tokens": HEAD
    + "#Text=aaaa bbbb\n1-1\t0-4\taaaa\t_\t\n1-1.1\t2-4\taa\tX[1]\t\n1-2\t5-9\tbbbb\t_\t\n"
    "1-2.1\t5-7\tbb\tX[1]\t\n",
    "two features, one unset": "#FORMAT=WebAnno TSV 3.3\n"
    + NE
    + "\n\n#Text=Kerry  in Baghdad\n1-1\t0-5\tKerry\tQ1\tPER\t\n1-2\t7-9\tin\t_\t_\t\n"
    "1-3\t10-17\tBaghdad\t*\tLOC\t\n",
    "escapes, a tab and a line break": HEAD
    + "#Text=A\\tB\n#Text=C_D\n1-1\t0-1\tA\t\\_x\\|y\\[1\\]\t\n1-2\t2-3\tB\t_\t\n"
    "1-3\t4-7\tC\\_D\tp\\;q\\->r\t\n",
    "slots and a relation": "#FORMAT=WebAnno TSV 3.3\n"
    + SLOTS
    + "#T_RL=webanno.custom.Rel|value|BT_webanno.custom.SimpleSpan\n\n\n"
    "#Text=He met her .\n1-1\t0-2\tHe\t_\tp1;p2\t1-2;1-3\t_\t_\t\n1-2\t3-6\tmet\t*\t_\t_\t_\t_\t\n"
    "1-3\t7-10\ther\t*\t_\t_\tsees\t1-2\t\n1-4\t11-12\t.\t_\t_\t_\t_\t_\t\n",
}


@pytest.mark.parametrize("content", WRITTEN_BACK.values(), ids=WRITTEN_BACK.keys())
def test_a_file_read_and_written_back_is_the_same_bytes(content):
    assert webanno.write(webanno.parse(content.encode(), "doc.tsv")) == content


def test_each_annotation_of_the_written_back_shapes_lands_on_its_characters():
    text, spans, refused = _spans(WRITTEN_BACK["sub-tokens, prefix, suffix and zero width"])
    assert sorted(spans) == [("dock", "P"), ("dockworkers strike", "W")]
    assert refused == ["the span 4-4 is empty", "the span 18-18 is empty"]
    _, spans, _ = _spans(WRITTEN_BACK["part of two tokens"])
    assert spans == [("aa bb", "X")]
    _, spans, _ = _spans(WRITTEN_BACK["two features, one unset"])
    assert spans == [("Kerry", "PER"), ("Baghdad", "LOC")]


def test_a_layer_of_slots_only_is_labelled_by_its_name_not_by_its_roles():
    _, spans, _ = _spans(WRITTEN_BACK["slots and a relation"])
    assert sorted(spans) == [("He", "Host"), ("her", "SimpleSpan"), ("met", "SimpleSpan")]


def test_parallax_numbers_stacked_annotations_on_one_token_as_inception_does():
    records = [
        {"article_text": "Ports shut now", "start": 0, "end": 5, "label": label}
        for label in ("supporting", "contested")
    ]
    content = webanno.document(records)
    assert "1-1\t0-5\tPorts\tcontested[1]|supporting[2]\t" in content
    assert webanno.write(webanno.parse(content.encode(), "a/b.tsv")) == content
