"""The codebook: what each label means, with examples, so that a claim set can be
interpreted and reviewers label alike. Written in Markdown by admins, always shown
sanitized (bleach, a small set of tags)."""

from __future__ import annotations

from dataclasses import dataclass

import bleach
from markdown_it import MarkdownIt
from sqlalchemy import select

from app.capabilities import require
from app.errors import InvalidInput
from app.extensions import db
from app.models import LabelDefinition, User
from app.services.corpus.fields import check_text
from app.vocabulary import DEFAULT_DEFINITIONS, check_label, labels

MAX_TEXT = 20_000
ALLOWED_TAGS = [
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4",
]  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render(markdown: str) -> str:
    """Markdown as HTML that is safe to show: raw HTML is not passed through, and bleach
    keeps only ALLOWED_TAGS and http(s)/mailto links."""
    html = _markdown.render(markdown or "")
    return bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=["http", "https", "mailto"],
        strip=True,
    )


@dataclass(frozen=True)
class Entry:
    label: str
    definition: str
    examples: str

    @property
    def definition_html(self) -> str:
        return render(self.definition)

    @property
    def examples_html(self) -> str:
        return render(self.examples)

    @property
    def summary(self) -> str:
        """The definition's first paragraph as plain text: a label button's tooltip."""
        first = (self.definition or "").strip().split("\n\n")[0]
        return bleach.clean(render(first), tags=[], strip=True).strip()


def entries() -> list[Entry]:
    """Every configured label's entry, in the labels' order; a default label no one has
    written an entry for has SPEC's definition."""
    stored = {d.label: d for d in db.session.scalars(select(LabelDefinition))}
    return [
        Entry(
            label,
            _lines(stored[label].definition)
            if label in stored
            else DEFAULT_DEFINITIONS.get(label, ""),
            _lines(stored[label].examples) if label in stored else "",
        )
        for label in labels()
    ]


def _lines(text: str | None) -> str:
    """`\n` line ends, whatever the form that sent the text used (browsers send `\r\n`)."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def as_records() -> list[dict]:
    """The codebook as exports carry it: label, definition and examples (Markdown)."""
    return [
        {"label": e.label, "definition": e.definition, "examples": e.examples} for e in entries()
    ]


def _checked(name: str, value: object) -> str:
    text = _lines(check_text(name, value))
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{name} is longer than {MAX_TEXT} characters.")
    return text


def set_entry(label: object, definition: object, examples: object, user: User) -> Entry:
    """Write one label's definition and examples (admins). Flushes, does not commit."""
    require(user, "manage_codebook")
    check_label(label)
    definition, examples = _checked("definition", definition), _checked("examples", examples)
    row = db.session.scalar(select(LabelDefinition).where(LabelDefinition.label == label))
    if row is None:
        row = LabelDefinition(label=label)
        db.session.add(row)
    row.definition, row.examples, row.updated_by_id = definition, examples, user.id
    db.session.flush()
    return Entry(label, definition, examples)  # type: ignore[arg-type]
