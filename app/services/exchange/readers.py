"""Reading files into article records, without the database: plain text and Markdown
(cleaned, archive pages split into posts), HTML (main text extracted), JSONL (one record a
line), folders of them; charsets found as browsers find them. What the importer stores, it
gets from here; a file that cannot be read is a BadFile with the reason.

With many pages and more than one CPU, HTML pages are read in worker processes (extraction
is most of an HTML import's time) while the caller stores what is read, in file order.
"""

from __future__ import annotations

import codecs
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from app.formats import format_of, jsonl_format, readable_names
from app.models import limits
from app.services.corpus.fields import derived_title
from app.text.clean import split_posts
from app.text.dates import parse_date
from app.text.html import html_metadata, html_posts, html_to_text
from app.text.html import parse as parse_html
from app.text.normalize import normalize_text

MAX_FILE_BYTES = 10 * 1024 * 1024


class BadFile(Exception):
    """A file that cannot be imported at all; the message is the reason."""


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files to import (folders walked, in name order) and the paths refused outright."""
    files: list[Path] = []
    refused: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                files.append(child)
        elif path.is_file():
            files.append(path)
        else:
            refused.append((str(path), "no such file or folder"))
    return files, refused


BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)

# As browsers do (WHATWG Encoding): a page that says Latin-1 or ASCII is read as windows-1252.
_BROWSER_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}


def declared_charset(data: bytes) -> str | None:
    """The codec a page declares in a meta tag or an XML declaration (in its first 4 kB)."""
    match = _DECLARED_CHARSET.search(data[:4096])
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _BROWSER_ALIASES.get(name, name)


def read_text(data: bytes, name: str, *, html: bool = False, encoding: str | None = None) -> str:
    """The bytes as text, or BadFile saying why not.

    A byte order mark decides first; then `encoding` (`flask import --encoding`); then, for
    HTML, the charset the page declares; otherwise UTF-8. An HTML page that declares nothing
    and is not UTF-8 is read as windows-1252, the default browsers use (WHATWG Encoding); one
    that declares UTF-8 and holds a stray invalid byte gets U+FFFD for it, as in a browser.
    A text file that is not UTF-8 asks for --encoding: a guess would garble it silently.
    """
    if len(data) > MAX_FILE_BYTES:
        raise BadFile(f"too large ({len(data) / 1e6:.1f} MB; the limit is 10 MB)")
    codec = next((c for bom, c in BOMS if data.startswith(bom)), None)
    if codec is None and b"\x00" in data[:8192]:
        raise BadFile("binary file, not text")
    declared = declared_charset(data) if html else None
    codec = codec or encoding or declared or "utf-8"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        if codec == "utf-8" and html and not declared:
            return _windows_1252(data)
        if codec == "utf-8" and html:
            # Declared UTF-8 with a stray byte (a Latin-1 comment in a script, say): a
            # browser shows U+FFFD for it and the page reads fine, so this does too.
            return data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        if codec == "utf-8":
            raise BadFile(
                f"not UTF-8 text (byte {exc.start}); give its encoding with --encoding"
            ) from None
        raise BadFile(f"not {codec} text (byte {exc.start})") from None
    return text.removeprefix("\ufeff")


def _windows_1252(data: bytes) -> str:
    """The bytes as windows-1252, as the WHATWG Encoding standard decodes it: the five bytes
    Python's codec leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become C1 controls."""
    return data.decode("cp1252", errors="_whatwg_c1")


def _c1_controls(error: UnicodeDecodeError) -> tuple[str, int]:
    return "".join(chr(b) for b in error.object[error.start : error.end]), error.end


codecs.register_error("_whatwg_c1", _c1_controls)

_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")

_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def markdown_to_text(text: str) -> str:
    """Markdown markup off, words kept: headings, links, images, bold."""
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return _MD_HEADING.sub("", text)


def _split_title(text: str) -> tuple[str | None, str]:
    """A leading one-line headline (short, no final full stop) and the rest."""
    first, sep, rest = text.strip().partition("\n\n")
    if sep and "\n" not in first and len(first.split()) <= 20 and not first.endswith("."):
        return first.strip(), rest
    return None, text


def candidates_from_text(raw: str, name: str) -> list[dict]:
    """Article fields from scraped plain text: cleaned, split if it is an archive page."""
    posts = split_posts(raw)
    out = []
    for post in posts:
        title, body = (post.title, post.text) if post.title else _split_title(post.text)
        title = derived_title(title or name)
        out.append({"title": title, "text": normalize_text(body), "published": post.published})
    if not any(c["text"].strip() for c in out):
        raise BadFile("no text left after cleaning")
    return out


def candidates_from_html(raw: str, name: str) -> list[dict]:
    tree = parse_html(raw)
    if posts := html_posts(tree):  # a listing: one article per post, as archive pages split
        return [
            {
                "title": derived_title(post.title),
                "text": normalize_text(post.text),
                "author": None,
                "url": None,  # the page's address is the listing's, not a post's
                "published": parse_date(post.published) if post.published else None,
            }
            for post in posts
        ]
    text = html_to_text(raw, tree)
    if not text.strip():
        raise BadFile("no main text found in the HTML")
    meta = html_metadata(tree if tree is not None else raw, raw)
    published = parse_date(meta["date"]) if meta["date"] else None
    url = meta["url"] if meta["url"] and len(meta["url"]) <= limits.URL else None
    title, body = derived_title(meta["title"]), text
    if title and body.startswith(title):
        body = body[len(title) :]
    return [
        {
            "title": title or derived_title(name),
            "text": normalize_text(body),
            "author": meta["author"] if len(meta["author"] or "") <= limits.AUTHOR else None,
            "url": url,
            "published": published,
        }
    ]


@dataclass
class _Read:
    """A file read and parsed, before anything is stored: its records (articles), or the
    raw JSONL, or why it cannot be imported. Built without the database, so that HTML pages
    can be extracted in worker processes while the main one stores."""

    path: Path
    size: int
    candidates: list[dict] | None = None
    jsonl: str | None = None
    # A JSONL file on disk is read a line at a time, whatever its size: it is many records,
    # each checked against the limits its columns have (a corpus runs to gigabytes).
    jsonl_codec: str | None = None
    failure: str | None = None


# Each article format of the registry (app.formats) but JSONL, whose lines are records:
# how its text becomes article records.
READERS: dict[str, Callable[[str, str], list[dict]]] = {
    "txt": lambda raw, stem: candidates_from_text(raw, stem),
    "md": lambda raw, stem: candidates_from_text(markdown_to_text(raw), stem),
    "html": lambda raw, stem: candidates_from_html(raw, stem),
}


def _is_jsonl(path: Path) -> bool:
    kind = format_of(path.name)
    return kind is not None and kind.id == "jsonl"


def read_file(path: Path, encoding: str | None = None, data: bytes | None = None) -> _Read:
    """Read one file into its records; never touches the database."""
    name = path.name
    kind = format_of(name)
    size = len(data) if data is not None else 0
    try:
        if kind is None:
            raise BadFile(
                f"unsupported file type {path.suffix.lower() or '(none)'}; expected "
                + readable_names()
            )
        if data is None and kind.id == "jsonl":
            size = path.stat().st_size
            with path.open("rb") as fh:
                head = fh.read(8192)
            codec = next((c for bom, c in BOMS if head.startswith(bom)), None)
            if codec is None and b"\x00" in head:
                raise BadFile("binary file, not text")
            return _Read(path, size, jsonl_codec=codec or encoding or "utf-8-sig")
        if data is None:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise BadFile(f"too large ({size / 1e6:.1f} MB; the limit is 10 MB)")
            data = path.read_bytes()
        raw = read_text(data, name, html=kind.id == "html", encoding=encoding)
        if kind.id == "jsonl":
            return _Read(path, size, jsonl=raw)
        stem = path.stem.replace("_", " ").replace("-", " ").strip() or name
        candidates = READERS[kind.id](raw, stem)
    except BadFile as exc:
        return _Read(path, size or 1, failure=str(exc))
    return _Read(path, size, candidates=candidates)


def _jsonl_lines(path: Path, codec: str) -> Iterator[str | UnicodeDecodeError]:
    """A JSONL file's lines, read one at a time. In UTF-8 each line is decoded on its own, so
    a line that is not UTF-8 is refused alone (as the error, in its place)."""
    if codec not in ("utf-8", "utf-8-sig"):
        with path.open(encoding=codec, newline="") as lines:
            yield from lines
        return
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            try:
                yield (raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw).decode("utf-8")
            except UnicodeDecodeError as exc:
                yield exc


# Fewer files than this are read here: a worker pool costs more than it saves.
PARALLEL_FROM = 16


def _read_all(files: list[Path], encoding: str | None) -> Iterator[tuple[Path, object]]:
    """(path, its _Read or the exception reading raised), in order."""
    workers = min(os.cpu_count() or 1, 4)
    heavy = [p for p in files if not _is_jsonl(p)]
    if (
        workers < 2
        or len(heavy) < PARALLEL_FROM
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        for path in files:
            try:
                yield path, read_file(path, encoding)
            except Exception as exc:  # noqa: BLE001 - reported by the caller
                yield path, exc
        return
    # fork: the workers start at once with the app already imported; they only read files
    # and never use the parent's database connections.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        window: deque[tuple[Path, Future | None]] = deque()
        pending = iter(files)
        for path in pending:
            window.append((path, _submit(pool, path, encoding)))
            if len(window) >= 4 * workers:
                break
        while window:
            path, future = window.popleft()
            if future is None:  # JSONL: read here, where it is stored line by line
                try:
                    yield path, read_file(path, encoding)
                except Exception as exc:  # noqa: BLE001
                    yield path, exc
            else:
                try:
                    yield path, future.result()
                except Exception as exc:  # noqa: BLE001
                    yield path, exc
            following = next(pending, None)
            if following is not None:
                window.append((following, _submit(pool, following, encoding)))


def _submit(pool: ProcessPoolExecutor, path: Path, encoding: str | None) -> Future | None:
    if _is_jsonl(path):
        return None
    return pool.submit(read_file, path, encoding)


def total_bytes(paths: Iterable[Path]) -> int:
    files, _ = collect_files(paths)
    return sum(p.stat().st_size for p in files) or 1


BATCH = 200  # JSONL records stored (and, on the command line, committed) at a time
FILES_BATCH = 25  # pages of many files stored and committed together: a page's own commit
# and lookups cost as much as storing it; 25 keeps a stopped import's loss to seconds
Batch = list[tuple[str, dict]]  # (source, the record's fields)


def batches(
    paths: Iterable[Path],
    encoding: str | None,
    failed: list[tuple[str, str]],
    advance: Callable[[int], None] = lambda n: None,
) -> Iterator[Batch]:
    """The article records of every file under `paths`, in file order, BATCH at a time: a
    JSONL file's lines, or the pages of many files (one page a batch spent 18 ms of the
    storing process's time on its own lookups and commit; a folder of pages imported at 27
    pages/s). What cannot be read goes to `failed`, with its source and the reason; `advance`
    hears of the bytes read, for a progress bar."""
    files, refused = collect_files(paths)
    failed += refused
    gathered: Batch = []
    for path, read in _read_all(files, encoding):
        if isinstance(read, BaseException):
            failed.append((str(path), f"{type(read).__name__}: {read}"))
            continue
        for batch in file_batches(read, failed, advance):
            gathered += batch
            if len(gathered) >= FILES_BATCH:
                yield gathered
                gathered = []
    if gathered:
        yield gathered


def file_batches(
    read: _Read,
    failed: list[tuple[str, str]],
    advance: Callable[[int], None] = lambda n: None,
    overrides: dict | None = None,
) -> Iterator[Batch]:
    """The records of one file read by `read_file`. `overrides`: what a person typed for an
    uploaded page (title, url, ...), which wins over what was extracted from it."""
    path = read.path
    if read.failure is not None:
        failed.append((str(path), read.failure))
        advance(read.size)
        return
    if read.jsonl is not None:
        yield from _jsonl_batches(read.jsonl.splitlines(), str(path), failed, advance)
        return
    if read.jsonl_codec is not None:
        try:
            yield from _jsonl_batches(
                _jsonl_lines(path, read.jsonl_codec), str(path), failed, advance
            )
        except UnicodeDecodeError as exc:
            failed.append((str(path), f"not {exc.encoding} text past the lines stored"))
        return
    candidates = read.candidates or []
    if len(candidates) == 1 and overrides:
        candidates[0].update({k: v for k, v in overrides.items() if v})
    sources = (
        [str(path)]
        if len(candidates) == 1
        else [f"{path} (post {i + 1})" for i in range(len(candidates))]
    )
    yield list(zip(sources, candidates, strict=True))
    advance(read.size)


def _jsonl_batches(
    lines: Iterable[str | UnicodeDecodeError],
    source: str,
    failed: list[tuple[str, str]],
    advance: Callable[[int], None],
) -> Iterator[Batch]:
    def counted(numbered):
        for number, line in numbered:
            if isinstance(line, UnicodeDecodeError):
                advance(len(line.object))
                failed.append(
                    (
                        f"{source}:{number}",
                        f"not UTF-8 text (byte {line.start}); give the file's encoding with "
                        "--encoding",
                    )
                )
                continue
            advance(len(line.encode("utf-8", errors="replace")) + (not line.endswith("\n")))
            yield number, line

    refused: list[tuple[int, str]] = []
    for batch in _records(counted(enumerate(lines, start=1)), refused, BATCH):
        failed += [(f"{source}:{n}", reason) for n, reason in refused]
        refused.clear()
        yield [(f"{source}:{n}", record) for n, record in batch]
    failed += [(f"{source}:{n}", reason) for n, reason in refused]


def claim_batches(
    lines: Iterable[str], failed: list[tuple[int, str]], size: int = 1000
) -> Iterator[list[tuple[int, dict]]]:
    """The records of a JSONL claim export, as (line number, record) `size` at a time; a
    line that is not a JSON object goes to `failed` with its number and the reason."""
    return _records(enumerate(lines, start=1), failed, size)


def _records(
    numbered: Iterable[tuple[int, str]], failed: list[tuple[int, str]], size: int
) -> Iterator[list[tuple[int, dict]]]:
    """JSON Lines read `size` records at a time, as (line number, record); a line that is not
    a JSON object goes to `failed`, with the reason."""
    batch: list[tuple[int, dict]] = []
    for number, line in numbered:
        if not line.strip():
            continue
        try:
            ((_, record),) = jsonl_format.read([line])
        except (ValueError, RecursionError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            failed.append((number, reason.removeprefix("line 1: ")))
            continue
        batch.append((number, record))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
