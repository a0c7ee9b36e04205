"""Loading the seed corpus from seeds/manifest.toml. Idempotent: a second run changes nothing."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.capabilities import IMPORTED_ADJUDICATOR_ROLE
from app.errors import DuplicateArticle, SeedManifestError, UnknownLabel, UnknownStance
from app.extensions import db
from app.models import Claim, Event, Proposition
from app.services.accounts import reviewer_named
from app.services.claims.propositions import proposition_stated
from app.services.claims.tagging import (
    adjudicate,
    create_claim,
    current_assessment,
    put_assessment,
)
from app.services.corpus.actors import seed_actors
from app.services.corpus.articles import create_article
from app.services.corpus.outlets import get_or_create_outlet
from app.text.clean import split_posts
from app.vocabulary import check_label, check_stance

MANIFEST = "manifest.toml"
OUTLET_FIELDS = ("homepage_url", "country", "lean", "description")


@dataclass
class SeedReport:
    created: int = 0
    unchanged: int = 0
    actors: int = 0
    titles: list[str] = field(default_factory=list)


def _field(entry: dict, key: str, where: str, kind: type, required: bool = True):
    value = entry.get(key)
    if value is None:
        if required:
            raise SeedManifestError(f"{where}.{key}: missing")
        return None
    if not isinstance(value, kind):
        raise SeedManifestError(f"{where}.{key}: expected {kind.__name__}, got {value!r}")
    return value


def _read_toml(path: Path, what: str) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeedManifestError(f"{path}: {what} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SeedManifestError(f"{path}: not valid TOML ({exc})") from None


def load_manifest(seeds_dir: Path) -> dict:
    """Read and check the manifest; every error names the file and the field."""
    path = seeds_dir / MANIFEST
    manifest = _read_toml(path, "manifest")

    def fail(message: str) -> SeedManifestError:
        return SeedManifestError(f"{path}: {message}")

    events = manifest.get("events", [])
    keys = set()
    for i, ev in enumerate(events):
        where = f"events[{i}]"
        try:
            keys.add(_field(ev, "key", where, str))
            _field(ev, "title", where, str)
            _field(ev, "start", where, date, required=False)
            _field(ev, "end", where, date, required=False)
            for j, actor in enumerate(_field(ev, "actors", where, list, required=False) or []):
                _field(actor, "name", f"{where}.actors[{j}]", str)
                aliases = _field(actor, "aliases", f"{where}.actors[{j}]", list, required=False)
                if not all(isinstance(a, str) for a in aliases or []):
                    raise SeedManifestError(f"{where}.actors[{j}].aliases: expected strings")
        except SeedManifestError as exc:
            raise fail(str(exc)) from None
    for i, outlet in enumerate(manifest.get("outlets", [])):
        try:
            _field(outlet, "name", f"outlets[{i}]", str)
        except SeedManifestError as exc:
            raise fail(str(exc)) from None
    articles = manifest.get("articles")
    if not articles:
        raise fail("articles: missing (no [[articles]] entries)")
    for i, art in enumerate(articles):
        where = f"articles[{i}]"
        try:
            file = _field(art, "file", where, str)
            _field(art, "outlet", where, str)
            _field(art, "title", where, str)
            _field(art, "published", where, date, required=False)
            stance = _field(art, "stance", where, str)
            for key in _field(art, "events", where, list, required=False) or []:
                if key not in keys:
                    raise SeedManifestError(f"{where}.events: unknown event key {key!r}")
        except SeedManifestError as exc:
            raise fail(str(exc)) from None
        try:
            check_stance(stance)
        except UnknownStance as exc:
            raise fail(f"{where}.stance: {exc.message}") from None
        if not (seeds_dir / file).is_file():
            raise fail(f"{where}.file: {file} not found in {seeds_dir}")
    return manifest


def _get_or_create_event(entry: dict) -> Event:
    event = db.session.scalar(select(Event).where(Event.title == entry["title"]))
    if event is None:
        event = Event(
            title=entry["title"],
            start_date=entry.get("start"),
            end_date=entry.get("end"),
            summary=entry.get("summary"),
        )
        db.session.add(event)
        db.session.flush()
    return event


def seed(seeds_dir: Path) -> SeedReport:
    """Load the seed corpus: outlets, events and the cleaned (and split) articles."""
    manifest = load_manifest(seeds_dir)
    report = SeedReport()
    events = {ev["key"]: _get_or_create_event(ev) for ev in manifest.get("events", [])}
    for entry in manifest.get("events", []):
        report.actors += seed_actors(
            events[entry["key"]],
            [(a["name"], a.get("aliases", [])) for a in entry.get("actors", [])],
        )
    outlet_fields = {o["name"]: o for o in manifest.get("outlets", [])}
    for entry in manifest["articles"]:
        fields = outlet_fields.get(entry["outlet"], {})
        outlet = get_or_create_outlet(entry["outlet"], **{k: fields.get(k) for k in OUTLET_FIELDS})
        raw = (seeds_dir / entry["file"]).read_text(encoding="utf-8")
        posts = split_posts(raw)
        for post in posts:
            title = post.title or entry["title"]
            text = post.text
            # A single-article page usually starts with its own headline: don't keep it twice.
            first_line, _, rest = text.partition("\n")
            if first_line.strip() == title and rest.strip():
                text = rest
            try:
                create_article(
                    outlet,
                    {
                        "title": title,
                        "text": text,
                        "stance": entry["stance"],
                        "author": entry.get("author"),
                        "url": entry.get("url") if len(posts) == 1 else None,
                        "published": post.published or entry.get("published"),
                    },
                    [events[k] for k in entry.get("events", [])],
                )
            except DuplicateArticle:
                report.unchanged += 1
                continue
            report.created += 1
            report.titles.append(title)
    db.session.flush()
    return report


DEMO = "demo.toml"


@dataclass
class DemoReport:
    claims: int = 0
    unchanged: int = 0
    propositions: int = 0
    second_assessments: int = 0
    adjudications: int = 0


def load_demo(seeds_dir: Path) -> DemoReport:
    """Load the demo claim set (seeds/demo.toml) by the `demo` reviewer; idempotent.

    Each claim names its outlet and its exact quote, found in that outlet's articles of the
    event; a quote found nowhere, or in two places, is an error naming the entry. Every entry
    is checked before anything is written, and claims are tagged through the same service
    as in the browser.
    """
    demo, event, statements, planned = _plan_demo(seeds_dir)
    report = DemoReport()
    if demo.get("blind"):
        event.blind = True
    reviewer = reviewer_named(demo["reviewer"])
    second = reviewer_named(demo["second_reviewer"]) if demo.get("second_reviewer") else None
    curator = (
        reviewer_named(demo["curator"], IMPORTED_ADJUDICATOR_ROLE) if demo.get("curator") else None
    )
    existing = set(
        db.session.scalars(select(Proposition.statement).where(Proposition.event_id == event.id))
    )
    report.propositions = len(set(statements.values()) - existing)
    propositions = {
        key: proposition_stated([event.id], statement, created_by=reviewer)
        for key, statement in statements.items()
    }
    for plan, entry in zip(planned, demo.get("claims", []), strict=True):
        article, start, end, quote, label, note, key = plan
        claim = db.session.scalar(
            select(Claim).where(
                Claim.article_id == article.id, Claim.start == start, Claim.end == end
            )
        )
        if claim is not None:
            report.unchanged += 1
        else:
            proposition = propositions[key].id if key else None
            claim = create_claim(
                article,
                reviewer,
                start=start,
                end=end,
                quote=quote,
                label=label,
                note=note,
                proposition=proposition,
            )
            report.claims += 1
        second_label = entry.get("second") if second is not None else None
        if second_label and current_assessment(claim.id, second.id) is None:
            put_assessment(claim, second, label=second_label)
            report.second_assessments += 1
        if curator is not None and entry.get("adjudicated") and not claim.adjudicated_label:
            adjudicate(claim, curator, entry["adjudicated"], entry.get("adjudication_note"))
            report.adjudications += 1
    return report


def _plan_demo(seeds_dir: Path) -> tuple[dict, Event, dict[str, str], list[tuple]]:
    """The demo set read and checked, nothing written: the file's contents, its event, its
    propositions' statements by key, and each claim's place (see `_demo_claim`)."""
    path = seeds_dir / DEMO
    demo = _read_toml(path, "demo claim set")
    manifest = load_manifest(seeds_dir)
    event_titles = {e["key"]: e["title"] for e in manifest.get("events", [])}
    if demo.get("event") not in event_titles:
        raise SeedManifestError(f"{path}: event: unknown event key {demo.get('event')!r}")
    event = db.session.scalar(select(Event).where(Event.title == event_titles[demo["event"]]))
    if event is None:
        raise SeedManifestError(f"{path}: event: load the seed articles first")
    statements = {}
    for i, entry in enumerate(demo.get("propositions", [])):
        where = f"{path}: propositions[{i}]"
        statements[_field(entry, "key", where, str)] = _field(entry, "statement", where, str)
    planned = [
        _demo_claim(entry, f"{path}: claims[{i}]", event.articles, statements)
        for i, entry in enumerate(demo.get("claims", []))
    ]
    return demo, event, statements, planned


def _demo_claim(entry: dict, where: str, articles: list, statements: dict) -> tuple:
    """(article, start, end, quote, label, note, proposition key) for one demo entry."""
    quote = _field(entry, "quote", where, str)
    outlet = _field(entry, "outlet", where, str)
    label = _field(entry, "label", where, str)
    try:
        check_label(label)
    except UnknownLabel as exc:
        raise SeedManifestError(f"{where}.label: {exc.message}") from None
    # Any whitespace between words matches (texts carry no-break spaces); the stored
    # quote is the article's own characters, so quote == text[start:end] holds exactly.
    pattern = re.compile(r"\s+".join(re.escape(word) for word in quote.split()))
    hits = [(a, m) for a in articles if a.outlet.name == outlet for m in pattern.finditer(a.text)]
    if len(hits) != 1:
        raise SeedManifestError(
            f"{where}.quote: found {len(hits)} times in {outlet}'s articles of the "
            "event; it must be found exactly once"
        )
    article, match = hits[0]
    key = entry.get("proposition")
    if key is not None and key not in statements:
        raise SeedManifestError(f"{where}.proposition: unknown key {key!r}")
    return article, match.start(), match.end(), match.group(), label, entry.get("note"), key
