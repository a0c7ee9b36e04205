"""WebAnno TSV 3.3, INCEpTION's tab-separated format: span layers in, and out.

A file is a header (`#FORMAT=WebAnno TSV 3.3`, then one `#T_SP=layer|feature...` per span
layer, `#T_CH=` chains and `#T_RL=` relations), then sentences: their text in `#Text=` lines
(one per line of the sentence), then a line per token, `1-2<TAB>5-7<TAB>is<TAB>cells...`, with
sub-tokens as `1-2.1`. Offsets are UTF-16 code units (INCEpTION is Java), converted here.

A cell holds `_` (nothing), `*` (an annotation without a value) or values, stacked with `|`;
`value[3]` marks annotation 3, which spans every token whose cell names it. Backslash escapes
`\\ [ ] | _ * -> ;` and tab and newline. Each span layer's label is its `value` feature (else
its first), or the layer's short name when the annotation has no value. Chains and relations
have no place in Parallax's claims: counted in `skipped`.

The text between sentences is not in the file: a gap of n code units is written back as a
line break followed by n-1 spaces, which is what Parallax's writer puts there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from app.interop import Document, Refusal, Span, UnreadableFile, decode
from app.text.offsets import code_points_to_utf16, utf16_to_code_points

FORMAT_LINE = "#FORMAT=WebAnno TSV 3.3"
_ESCAPES = {"\\\\": "\\", "\\[": "[", "\\]": "]", "\\|": "|", "\\_": "_", "\\*": "*",
            "\\->": "->", "\\;": ";", "\\t": "\t", "\\n": "\n", "\\r": "\r"}  # fmt: skip
_ESCAPE = re.compile(r"\\(?:->|[\\\[\]|_*;tnr])")
_TOKEN = re.compile(r"^(\d+)-(\d+)(?:\.(\d+))?$")
_ENTRY = re.compile(r"^(.*?)(?:\[(\d+)\])?$", re.DOTALL)


def unescape(value: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], value)


def escape(value: str) -> str:
    out = value.replace("\\", "\\\\")
    for ch in "[]|_*;":
        out = out.replace(ch, "\\" + ch)
    return out.replace("->", "\\->").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _split_unescaped(cell: str, sep: str = "|") -> list[str]:
    parts, current, i = [], [], 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell):
            current.append(cell[i : i + 2])
            i += 2
            continue
        if cell[i] == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(cell[i])
        i += 1
    parts.append("".join(current))
    return parts


@dataclass
class _Layer:
    kind: str  # "SP", "CH", "RL"
    name: str
    features: list[str]

    @property
    def width(self) -> int:
        if self.kind == "SP":
            return max(1, len(self.features))
        if self.kind == "CH":
            return 2
        return len(self.features)  # RL: its features, the last one the base type

    @property
    def label_column(self) -> int:
        return self.features.index("value") if "value" in self.features else 0

    @property
    def short(self) -> str:
        return self.name.rsplit(".", 1)[-1]


def read(data: bytes, name: str, annotator: str | None) -> Iterator[Document]:
    content = decode(data, name)
    lines = content.split("\n")
    if not lines or lines[0].rstrip("\r") != FORMAT_LINE:
        raise UnreadableFile(f"{name} does not start with {FORMAT_LINE!r}")
    layers: list[_Layer] = []
    sentences: list[tuple[list[str], list[tuple[int, list[str]]]]] = []
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if line.startswith(("#T_SP=", "#T_CH=", "#T_RL=")):
            layer, *features = line[6:].split("|")
            layers.append(_Layer(line[3:5], layer, features))
        elif line.startswith("#Text="):
            if not sentences or sentences[-1][1]:
                sentences.append(([], []))
            sentences[-1][0].append(unescape(line[6:]))
        elif line and not line.startswith("#"):
            if not sentences:
                raise UnreadableFile(f"{name} line {number}: a token before any #Text line")
            sentences[-1][1].append((number, line.split("\t")))
    yield _document(name, annotator, layers, sentences)


def _text(sentences) -> str:
    """The document's text: each sentence where its first token says it begins."""
    text = ""
    for text_lines, tokens in sentences:
        sentence = "\n".join(text_lines)
        begin = None
        for _number, cells in tokens:
            if len(cells) > 2 and "-" in cells[1] and cells[2]:
                first_begin = int(cells[1].split("-")[0])
                at = sentence.find(unescape(cells[2]))
                if at >= 0:
                    begin = first_begin - len(sentence[:at].encode("utf-16-le")) // 2
                break
        length = code_points_to_utf16(text)[-1]
        if begin is not None and begin > length:
            text += "\n" + " " * (begin - length - 1)
        text += sentence
    return text


def _document(name: str, annotator: str | None, layers, sentences) -> Document:
    text = _text(sentences)
    table = utf16_to_code_points(text)
    parts = name.removesuffix(".tsv").split("/")
    # INCEpTION's annotation/<document>/<user>.tsv names the document by its folder.
    doc = Document(key=parts[-2] if len(parts) > 1 else parts[-1], text=text)
    for layer in layers:
        if layer.kind != "SP":
            doc.skipped[f"{'chains' if layer.kind == 'CH' else 'relations'}"] = 1
    spans: dict[tuple[int, str], list] = {}  # (layer index, id) -> [begin, end, label, where]
    singles: list[tuple[int, int, str, str]] = []
    for _text_lines, tokens in sentences:
        for number, cells in tokens:
            where = f"{name} line {number}"
            if len(cells) < 3 or not _TOKEN.match(cells[0]) or "-" not in cells[1]:
                doc.refused.append(Refusal(where, "not a token line (id, begin-end, token)"))
                continue
            try:
                begin, end = (int(x) for x in cells[1].split("-"))
            except ValueError:
                doc.refused.append(Refusal(where, f"{cells[1]!r} is not begin-end"))
                continue
            column = 3
            for index, layer in enumerate(layers):
                if layer.kind != "SP":
                    column += layer.width
                    continue
                cell = (
                    cells[column + layer.label_column]
                    if column + layer.label_column < len(cells)
                    else "_"
                )
                column += layer.width
                if cell in ("_", ""):
                    continue
                for entry in _split_unescaped(cell):
                    value, ident = _ENTRY.match(entry).groups()  # type: ignore[union-attr]
                    label = unescape(value) if value not in ("*", "") else layer.short
                    if ident is None:
                        singles.append((begin, end, label, where))
                        continue
                    found = spans.setdefault((index, ident), [begin, end, label, where])
                    found[0], found[1] = min(found[0], begin), max(found[1], end)
    for begin, end, label, where in singles + [tuple(v) for v in spans.values()]:
        start = table[begin] if begin < len(table) else None
        stop = table[end] if end < len(table) else None
        if start is None or stop is None:
            doc.refused.append(Refusal(where, f"{begin}-{end} is not inside the text"))
            continue
        if start >= stop:
            doc.refused.append(Refusal(where, f"the span {begin}-{end} is empty"))
            continue
        doc.spans.append(Span(start, stop, label, annotator, where))
    return doc


# -- writing --------------------------------------------------------------------------

LAYER = "webanno.custom.Claim"  # Parallax's span layer: its `value` feature is the label


def _tokens(text: str) -> list[tuple[int, int]]:
    """Whitespace-separated tokens, in code points."""
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def document(records: list[dict]) -> str:
    """One article's claims by one reviewer as a TSV 3.3 file (records hold one reviewer's
    assessments only: `by_reviewer`)."""
    text = records[0]["article_text"]
    utf16 = code_points_to_utf16(text)
    tokens = _tokens(text)
    cells: dict[int, list[str]] = {i: [] for i in range(len(tokens))}
    sub: dict[int, list[tuple[int, int, str]]] = {}
    ident = 0
    for record in sorted(records, key=lambda r: (r["start"], r["end"], r["label"])):
        label = escape(record["label"])
        # Tokens hold no whitespace: a span's spaces at either end are not written.
        start, end = _trimmed(text, record["start"], record["end"])
        if start == end:
            continue
        covering = [i for i, (s, e) in enumerate(tokens) if s < end and e > start]
        whole = covering and tokens[covering[0]][0] == start and tokens[covering[-1]][1] == end
        if whole and len(covering) == 1:
            cells[covering[0]].append(label)
        elif whole:
            ident += 1
            for i in covering:
                cells[i].append(f"{label}[{ident}]")
        else:
            ident += 1
            # A span that does not fall on token edges is written on sub-tokens of the
            # tokens it touches, as INCEpTION writes them.
            for i in covering:
                s, e = tokens[i]
                sub.setdefault(i, []).append((max(s, start), min(e, end), f"{label}[{ident}]"))
    out = [FORMAT_LINE, f"#T_SP={LAYER}|value", "", ""]
    out += ["#Text=" + escape_text(line) for line in text.split("\n")]
    for i, (s, e) in enumerate(tokens):
        out.append(
            f"1-{i + 1}\t{utf16[s]}-{utf16[e]}\t{escape(text[s:e])}\t{'|'.join(cells[i]) or '_'}\t"
        )
        for j, (ss, ee, value) in enumerate(sorted(sub.get(i, [])), start=1):
            out.append(f"1-{i + 1}.{j}\t{utf16[ss]}-{utf16[ee]}\t{escape(text[ss:ee])}\t{value}\t")
    return "\n".join(out) + "\n"


def escape_text(line: str) -> str:
    return line.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r")


def by_reviewer(records: list[dict]) -> dict[str, list[dict]]:
    """One article's claim records as (start, end, label) records per reviewer."""
    out: dict[str, list[dict]] = {}
    for record in records:
        for a in record["assessments"]:
            out.setdefault(a["reviewer"], []).append(
                {
                    "article_text": record["article_text"],
                    "start": record["start"],
                    "end": record["end"],
                    "label": a["label"],
                }
            )
    return out


def write_documents(documents: Iterable[list[dict]]) -> Iterator[tuple[str, str]]:
    """(file name, content) per article and reviewer: INCEpTION's layout,
    `annotation/<article>/<reviewer>.tsv`."""
    for records in documents:
        stem = f"parallax-{records[0]['article_id']}"
        for reviewer, mine in sorted(by_reviewer(records).items()):
            yield f"annotation/{stem}/{reviewer}.tsv", document(mine)
