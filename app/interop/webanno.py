"""WebAnno TSV 3.3, INCEpTION's tab-separated format: span layers in, and out.

A file is a header (`#FORMAT=WebAnno TSV 3.3`, then one `#T_SP=layer|feature...` per span
layer, `#T_CH=` chains and `#T_RL=` relations), then sentences: their text in `#Text=` lines
(one per line of the sentence), then a line per token, `1-2<TAB>5-7<TAB>is<TAB>cells...`, with
sub-tokens as `1-2.1`. Offsets are UTF-16 code units (INCEpTION is Java), converted here.

A cell holds `_` (nothing), `*` (an annotation without a value) or values, stacked with `|`;
`value[3]` marks annotation 3, which spans every row whose cell names it. Backslash escapes
`\\ [ ] | _ * -> ;` and tab and newline. Each span layer's label is its `value` feature (else
its first plain feature), or the layer's short name when the annotation has no value. Chains
and relations have no place in Parallax's claims: counted in `skipped`.

The file is read into one model (`TsvFile`: layers, sentences and their tokens, span
annotations with their values) and written from it by one writer, which places each
annotation as INCEpTION does: on the rows of the tokens it covers whole, on a sub-token row
(`1-2.1`) where it covers part of a token, on a zero-width sub-token where it is empty. Reading
a file and writing the model back gives the same bytes (INCEpTION's reference files are the
check); Parallax's export builds the same model from its claims and writes it the same way.

The text between sentences is not in the file: a gap of n code units is read as a line break
followed by n-1 spaces, which is what Parallax's writer puts there.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from app.interop import Document, Refusal, Span, UnreadableFile, decode
from app.text.offsets import code_points_to_utf16, utf16_to_code_points

FORMAT_LINE = "#FORMAT=WebAnno TSV 3.3"
_ESCAPES = {"\\\\": "\\", "\\[": "[", "\\]": "]", "\\|": "|", "\\_": "_", "\\*": "*",
            "\\->": "->", "\\;": ";", "\\t": "\t", "\\n": "\n", "\\r": "\r"}  # fmt: skip
_ESCAPE = re.compile(r"\\(?:->|[\\\[\]|_*;tnr])")
_TEXT_ESCAPE = re.compile(r"\\[\\tr]")
_ROW = re.compile(r"^(\d+)-(\d+)(?:\.(\d+))?$")
_IDENT = re.compile(r"^(.*?)\[(\d+)\]$", re.DOTALL)


def unescape(value: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], value)


def escape(value: str) -> str:
    out = value.replace("\\", "\\\\")
    for ch in "[]|_*;":
        out = out.replace(ch, "\\" + ch)
    return out.replace("->", "\\->").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def escape_text(line: str) -> str:
    return line.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r")


def unescape_text(line: str) -> str:
    return _TEXT_ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], line)


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
class Layer:
    kind: str  # "SP", "CH", "RL"
    name: str
    features: list[str]

    @property
    def width(self) -> int:
        if self.kind == "CH":
            return 2
        return max(1, len(self.features)) if self.kind == "SP" else len(self.features)

    @property
    def label_column(self) -> int | None:
        """`value`, else the first feature that is not a slot (a `ROLE_` column and the
        target column after it); None when the layer has only slots."""
        if "value" in self.features:
            return self.features.index("value")
        for i, feature in enumerate(self.features or [""]):
            slot = feature.startswith("ROLE_") or (
                i > 0 and self.features[i - 1].startswith("ROLE_")
            )
            if not slot:
                return i
        return None

    @property
    def short(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    @property
    def header(self) -> str:
        return f"#T_{self.kind}={'|'.join([self.name, *self.features])}"


@dataclass
class Annotation:
    """A span annotation: UTF-16 offsets, one escaped entry per column of its layer (without
    the `[ident]` suffix), and the identifier INCEpTION gave it when it needs one."""

    layer: int
    begin: int
    end: int
    values: list[str]
    ident: int | None = None
    where: str = ""


@dataclass
class Sentence:
    lines: list[str]
    tokens: list[tuple[int, int]] = field(default_factory=list)  # UTF-16 begin, end


@dataclass
class TsvFile:
    layers: list[Layer]
    sentences: list[Sentence]
    text: str
    annotations: list[Annotation]
    other: dict[tuple[str, int], list[str]] = field(default_factory=dict)  # relations, chains
    refused: list[Refusal] = field(default_factory=list)


# -- reading --------------------------------------------------------------------------


def parse(data: bytes, name: str) -> TsvFile:
    content = decode(data, name)
    lines = content.split("\n")
    if not lines or lines[0].rstrip("\r") != FORMAT_LINE:
        raise UnreadableFile(f"{name} does not start with {FORMAT_LINE!r}")
    layers: list[Layer] = []
    sentences: list[Sentence] = []
    rows: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if line.startswith(("#T_SP=", "#T_CH=", "#T_RL=")):
            layer, *features = line[6:].split("|")
            layers.append(Layer(line[3:5], layer, features))
        elif line.startswith("#Text="):
            if not sentences or sentences[-1].tokens:
                sentences.append(Sentence([]))
            sentences[-1].lines.append(unescape_text(line[6:]))
        elif line and not line.startswith("#"):
            if not sentences:
                raise UnreadableFile(f"{name} line {number}: a token before any #Text line")
            rows.append((number, line.split("\t")))
            match = _ROW.match(line.split("\t", 1)[0])
            cells = rows[-1][1]
            if match and match.group(3) is None and len(cells) > 1 and "-" in cells[1]:
                try:
                    begin, end = (int(x) for x in cells[1].split("-"))
                except ValueError:
                    continue
                sentences[-1].tokens.append((begin, end))
    model = TsvFile(layers, sentences, _text(sentences, rows), [])
    _read_cells(model, rows, name)
    return model


def _text(sentences: list[Sentence], rows) -> str:
    """The document's text: each sentence where its first token says it begins."""
    first_token = {}
    for _number, cells in rows:
        match = _ROW.match(cells[0])
        if match and match.group(3) is None and match.group(2) == "1" and len(cells) > 2:
            first_token.setdefault(int(match.group(1)), cells)
    text = ""
    for index, sentence in enumerate(sentences, start=1):
        joined = "\n".join(sentence.lines)
        begin = None
        cells = first_token.get(index)
        if sentence.tokens and cells is not None:
            at = joined.find(unescape(cells[2]))
            if at >= 0:
                begin = sentence.tokens[0][0] - len(joined[:at].encode("utf-16-le")) // 2
        length = code_points_to_utf16(text)[-1]
        if begin is not None and begin > length:
            text += "\n" + " " * (begin - length - 1)
        text += joined
    return text


def _read_cells(model: TsvFile, rows, name: str) -> None:
    found: dict[tuple[int, int], Annotation] = {}
    for number, cells in rows:
        where = f"{name} line {number}"
        if len(cells) < 3 or not _ROW.match(cells[0]) or "-" not in cells[1]:
            model.refused.append(Refusal(where, "not a token line (id, begin-end, token)"))
            continue
        try:
            begin, end = (int(x) for x in cells[1].split("-"))
        except ValueError:
            model.refused.append(Refusal(where, f"{cells[1]!r} is not begin-end"))
            continue
        column = 3
        for index, layer in enumerate(model.layers):
            mine = [
                cells[c] if c < len(cells) else "_" for c in range(column, column + layer.width)
            ]
            column += layer.width
            if layer.kind != "SP":
                if any(c not in ("_", "") for c in mine):
                    model.other[(cells[0], index)] = mine
                continue
            if all(c in ("_", "") for c in mine):
                continue
            entries = [_split_unescaped(c) for c in mine]
            for k in range(max(len(e) for e in entries)):
                values = [e[k] if k < len(e) else "_" for e in entries]
                ident_match = _IDENT.match(values[0])
                ident = int(ident_match.group(2)) if ident_match else None
                if ident is not None:
                    suffix = f"[{ident}]"
                    values = [v.removesuffix(suffix) for v in values]
                    known = found.get((index, ident))
                    if known is not None:
                        known.begin, known.end = min(known.begin, begin), max(known.end, end)
                        continue
                annotation = Annotation(index, begin, end, values, ident, where)
                model.annotations.append(annotation)
                if ident is not None:
                    found[(index, ident)] = annotation


def read(data: bytes, name: str, annotator: str | None) -> Iterator[Document]:
    yield document_of(parse(data, name), name, annotator)


def document_of(model: TsvFile, name: str, annotator: str | None) -> Document:
    """The model as Parallax's document: each span annotation a span with its label."""
    text = model.text
    table = utf16_to_code_points(text)
    parts = name.removesuffix(".tsv").split("/")
    # INCEpTION's annotation/<document>/<user>.tsv names the document by its folder.
    doc = Document(key=parts[-2] if len(parts) > 1 else parts[-1], text=text)
    doc.refused.extend(model.refused)
    for layer in model.layers:
        if layer.kind != "SP":
            doc.skipped["chains" if layer.kind == "CH" else "relations"] = 1
    for a in model.annotations:
        layer = model.layers[a.layer]
        column = layer.label_column
        value = a.values[column] if column is not None else "*"
        label = unescape(value) if value not in ("*", "_", "") else layer.short
        start = table[a.begin] if a.begin < len(table) else None
        stop = table[a.end] if a.end < len(table) else None
        if start is None or stop is None:
            doc.refused.append(Refusal(a.where, f"{a.begin}-{a.end} is not inside the text"))
        elif start >= stop:
            doc.refused.append(Refusal(a.where, f"the span {a.begin}-{a.end} is empty"))
        else:
            doc.spans.append(Span(start, stop, label, annotator, a.where))
    return doc


# -- writing --------------------------------------------------------------------------


def _placement(tokens: list[tuple[int, int]], a: Annotation) -> list[tuple[int, tuple | None]]:
    """The rows an annotation is written on: (token index, None) for a token it covers whole,
    (token index, (begin, end)) for the sub-token it covers of one. A zero-width annotation
    goes to the first token that touches it, else to the token before it."""
    ends = _Ends(tokens)
    first = bisect.bisect_left(ends, a.begin)  # the first token ending at or after it
    if a.begin == a.end:
        if first < len(tokens) and tokens[first][0] <= a.begin:
            return [(first, (a.begin, a.end))]
        return [(first - 1, (a.begin, a.end))] if first > 0 else []
    rows = []
    for i in range(first, len(tokens)):
        b, e = tokens[i]
        if b >= a.end:
            break
        if e > a.begin:
            whole = a.begin <= b and e <= a.end
            rows.append((i, None if whole else (max(a.begin, b), min(a.end, e))))
    return rows


class _Ends:
    """The tokens' ends as a sequence bisect can search, without copying them."""

    def __init__(self, tokens: list[tuple[int, int]]) -> None:
        self.tokens = tokens

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, i: int) -> int:
        return self.tokens[i][1]


def write(model: TsvFile, *, identify: bool = False) -> str:
    """The model as TSV. `identify`: number the annotations first, as INCEpTION does (a model
    read from a file keeps the file's numbers)."""
    position = utf16_to_code_points(model.text)
    tokens = [t for s in model.sentences for t in s.tokens]
    owner = [n for n, s in enumerate(model.sentences) for _t in s.tokens]
    placed = {id(a): _placement(tokens, a) for a in model.annotations}
    if identify:
        _identify(model, placed)
    on_row: dict[tuple[int, tuple | None], list[Annotation]] = {}
    subs: dict[int, set[tuple[int, int]]] = {}
    for a in sorted(model.annotations, key=lambda a: a.ident or 0):  # stable: else file order
        for i, sub in placed[id(a)]:
            on_row.setdefault((i, sub), []).append(a)
            if sub is not None:
                subs.setdefault(i, set()).add(sub)
    out = [FORMAT_LINE, *(layer.header for layer in model.layers), ""]
    number_in_sentence = 0
    for i, (b, e) in enumerate(tokens):
        if i == 0 or owner[i] != owner[i - 1]:
            out.append("")
            out += ["#Text=" + escape_text(line) for line in model.sentences[owner[i]].lines]
            number_in_sentence = 0
        number_in_sentence += 1
        row = f"{owner[i] + 1}-{number_in_sentence}"
        out.append(_row(model, row, b, e, on_row.get((i, None), []), position))
        for k, sub in enumerate(sorted(subs.get(i, ()), key=lambda s: (s[0], -s[1])), 1):
            out.append(_row(model, f"{row}.{k}", *sub, on_row[(i, sub)], position))
    return "\n".join(out) + "\n"


def _row(model: TsvFile, row: str, begin: int, end: int, here, position) -> str:
    inside = end < len(position) and position[begin] is not None and position[end] is not None
    text = model.text[position[begin] : position[end]] if inside else ""
    cells = [row, f"{begin}-{end}", escape(text)]
    for index, layer in enumerate(model.layers):
        if layer.kind != "SP":
            cells += model.other.get((row, index), ["_"] * layer.width)
            continue
        mine = [a for a in here if a.layer == index]  # in write()'s order
        for column in range(layer.width):
            entries = [
                a.values[column] + (f"[{a.ident}]" if a.ident is not None else "") for a in mine
            ]
            cells.append("|".join(entries) or "_")
    return "\t".join(cells) + "\t"


# -- Parallax's claims as TSV ------------------------------------------------------------

LAYER = "webanno.custom.Claim"  # Parallax's span layer: its `value` feature is the label


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def document(records: list[dict]) -> str:
    """One article's claims by one reviewer as a TSV 3.3 file (records hold one reviewer's
    assessments only: `by_reviewer`): one sentence of whitespace-separated tokens."""
    text = records[0]["article_text"]
    utf16 = code_points_to_utf16(text)
    sentence = Sentence(
        text.split("\n"), [(utf16[m.start()], utf16[m.end()]) for m in re.finditer(r"\S+", text)]
    )
    model = TsvFile([Layer("SP", LAYER, ["value"])], [sentence], text, [])
    for record in sorted(records, key=lambda r: (r["start"], r["end"], r["label"])):
        # Tokens hold no whitespace: a span's spaces at either end are not written.
        start, end = _trimmed(text, record["start"], record["end"])
        if start < end:
            label = escape(record["label"])
            model.annotations.append(Annotation(0, utf16[start], utf16[end], [label]))
    return write(model, identify=True)


def _identify(model: TsvFile, placed: dict[int, list]) -> None:
    """Number the annotations that need it, as INCEpTION does: those on more than one row,
    and those that share a row with another of their layer. `placed`: each one's rows."""
    count: dict[tuple, int] = {}
    for a in model.annotations:
        for row in placed[id(a)]:
            count[(a.layer, *row)] = count.get((a.layer, *row), 0) + 1
    ident = 0
    for a in model.annotations:
        rows = placed[id(a)]
        if len(rows) > 1 or any(count[(a.layer, *row)] > 1 for row in rows):
            ident += 1
            a.ident = ident


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
