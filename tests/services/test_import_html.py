"""Real pages' metadata: the page's own URL, declared charsets, bylines and titles without the
site's name, and what a person typed winning over what was extracted."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from app.cli.corpus import import_articles
from app.extensions import db
from app.models import Article
from app.services.exchange.importing import Defaults
from app.text.html import clean_author, clean_title
from tests.factories import csrf_token, login, make_outlet, make_user

PARA = (
    "The port authority said on Tuesday that dock workers had accepted the offer after "
    "three weeks of talks, and that ships would be unloaded again from Wednesday morning. "
)


def page(head: str = "", body_extra: str = "", charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f"<!doctype html><html><head>{meta}{head}</head><body><nav>Home | World</nav>"
        f"<article><h1>Strike ends at the harbour</h1><p>{PARA * 3}</p>{body_extra}"
        f"<p>{PARA.replace('Tuesday', 'Monday') * 2}</p></article>"
        "<footer>© 2019 Daily Lantern</footer></body></html>"
    )


def imported(tmp_path, name: str, data: bytes, **defaults) -> Article:
    (tmp_path / name).write_bytes(data)
    report = import_articles([tmp_path / name], Defaults(outlet="Daily Lantern", **defaults))
    assert report.imported, report.failed
    return db.session.get(Article, report.imported[0][1])


@pytest.mark.parametrize(
    "head",
    [
        '<link rel="canonical" href="https://lantern.example/2019/strike-ends">',
        '<meta property="og:url" content="https://lantern.example/2019/strike-ends">',
    ],
)
def test_the_pages_own_url_is_stored(app, tmp_path, head):
    article = imported(tmp_path, "strike.html", page(head).encode())
    assert article.url == "https://lantern.example/2019/strike-ends"


def test_a_url_that_is_not_http_is_not_taken(app, tmp_path):
    head = '<link rel="canonical" href="javascript:alert(1)">'
    assert imported(tmp_path, "strike.html", page(head).encode()).url is None


@pytest.mark.parametrize(
    "encoding, declaration",
    [
        # Labelled Latin-1, written in windows-1252 (the euro sign): read as browsers do.
        ("cp1252", '<meta charset="iso-8859-1">'),
        ("cp1252", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'),
        ("iso-8859-15", ""),  # an XML declaration instead, below
    ],
)
def test_a_page_in_its_declared_charset_is_read_in_it(app, tmp_path, encoding, declaration):
    extra = "<p>Le café coûte 3 € à Zürich, dit-on.</p>"
    html = page(declaration, extra)
    if not declaration:
        html = f'<?xml version="1.0" encoding="{encoding}"?>' + html
    article = imported(tmp_path, "page.html", html.encode(encoding))
    assert "Le café coûte 3 € à Zürich" in article.text


def test_a_page_declaring_no_charset_and_not_utf8_is_read_as_browsers_do(app, tmp_path):
    extra = "<p>Schaf, Standardausführung, weiß; kostet 3 € – „günstig“.</p>"
    article = imported(tmp_path, "schafe.html", page("", extra).encode("cp1252"))
    assert "Schaf, Standardausführung, weiß; kostet 3 € – „günstig“." in article.text


def test_a_stray_byte_in_a_declared_utf8_page_does_not_refuse_it(app, tmp_path):
    html = page('<meta charset="utf-8"><style>/* M\u00e4scot */</style>', "<p>Weiß.</p>")
    data = html.encode("utf-8").replace("M\u00e4scot".encode(), "M\u00e4scot".encode("cp1252"))
    article = imported(tmp_path, "stray.html", data)
    assert "Weiß." in article.text and "\ufffd" not in article.text


def test_byte_order_marks_decide_and_txt_takes_encoding(app, tmp_path, runner):
    text = "Grève au port\n\n" + PARA + "Le café coûte 3 €."
    article = imported(tmp_path, "utf16.txt", text.encode("utf-16"))
    assert "café coûte 3 €" in article.text
    (tmp_path / "latin.txt").write_bytes(("Autre grève\n\n" + PARA + "Déjà vu.").encode("cp1252"))
    refused = runner.invoke(args=["import", str(tmp_path / "latin.txt"), "--outlet", "X"])
    assert refused.exit_code == 1 and "--encoding" in refused.output
    result = runner.invoke(
        args=["import", str(tmp_path / "latin.txt"), "--outlet", "X", "--encoding", "cp1252"]
    )
    assert result.exit_code == 0, result.output
    unknown = runner.invoke(args=["import", str(tmp_path), "--encoding", "klingon"])
    assert unknown.exit_code == 2 and "unknown encoding" in unknown.output


def test_bylines_lose_dates_and_site_names_and_titles_lose_the_site_suffix(app, tmp_path):
    head = (
        "<title>Strike ends at the harbour | Daily Lantern</title>"
        '<meta property="og:site_name" content="Daily Lantern">'
        '<meta name="author" content="Mike Wuerthele; Malcolm Owen Monday; November">'
    )
    article = imported(tmp_path, "strike.html", page(head).encode())
    assert article.title == "Strike ends at the harbour"
    assert article.author == "Mike Wuerthele; Malcolm Owen"


@pytest.mark.parametrize(
    "title, sites, expected",
    [
        ("Apple unveils a phone – TechCrunch", ("TechCrunch",), "Apple unveils a phone"),
        (
            "New bikes for 2023 | MoreBikes",
            ("https://www.morebikes.co.uk/a",),
            "New bikes for 2023",
        ),
        ("BBC News - Strike ends", ("BBC News",), "Strike ends"),
        ("Ukraine: what comes next", ("The Guardian",), "Ukraine: what comes next"),
        ("Part one | Part two", ("Daily Lantern",), "Part one | Part two"),
    ],
)
def test_clean_title(title, sites, expected):
    assert clean_title(title, *sites) == expected


@pytest.mark.parametrize(
    "author, expected",
    [
        ("JERUSALEM POST STAFF NOVEMBER", None),
        ("Detroit News wire services Published", None),
        ("By Ana Ruiz, Updated Oct. 4, 2019 12:30 pm", "Ana Ruiz"),
        ("Por Alberto Ávila", "Alberto Ávila"),
        ("JANE ROE", "JANE ROE"),
        ("The Jerusalem Post", "The Jerusalem Post"),  # a byline that is only the site
        ("Maryam Mirzakhani and Omid Kordestani", "Maryam Mirzakhani; Omid Kordestani"),
    ],
)
def test_clean_author(author, expected):
    sites = ("The Jerusalem Post", "https://www.jpost.com/", "The Detroit News")
    assert clean_author(author, *sites) == expected


def test_what_a_person_types_for_an_uploaded_page_wins_and_stance_starts_unknown(client):
    make_outlet("Daily Lantern")
    login(client, make_user("reviewer"))
    form_page = client.get("/articles/new").get_data(as_text=True)
    assert '<option selected value="unknown">' in form_page or (
        'value="unknown" selected' in form_page
    )
    head = (
        "<title>Extracted title | Daily Lantern</title>"
        '<meta name="author" content="Extracted Author">'
        '<link rel="canonical" href="https://lantern.example/extracted">'
    )
    response = client.post(
        "/articles/new",
        data={
            "csrf_token": csrf_token(client, "/articles/new"),
            "outlet": "Daily Lantern",
            "stance": "unknown",
            "title": "Typed title",
            "url": "https://lantern.example/typed",
            "author": "Typed Author",
            "file": (io.BytesIO(page(head).encode()), "strike.html"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    article = db.session.query(Article).one()
    assert (article.title, article.url, article.author) == (
        "Typed title",
        "https://lantern.example/typed",
        "Typed Author",
    )
    assert article.stance == "unknown"


def test_many_pages_are_extracted_in_workers_and_stored_in_file_order(app, tmp_path):
    from app.services.exchange.readers import PARALLEL_FROM, read_file

    folder = tmp_path / "pages"
    folder.mkdir()
    count = PARALLEL_FROM + 4
    for i in range(count):
        html = page(f"<title>Story {i:02d}</title>", f"<p>Paragraph only in story {i:02d}.</p>")
        (folder / f"story-{i:02d}.html").write_text(html, encoding="utf-8")
    (folder / "broken.html").write_bytes(b"\x00\x01\x02 not a page")
    report = import_articles([folder], Defaults(outlet="Daily Lantern"))
    assert [s for s, _ in report.failed] == [str(folder / "broken.html")]
    assert [s for s, _ in report.imported] == [
        str(folder / f"story-{i:02d}.html") for i in range(count)
    ]
    stored = db.session.scalars(select(Article).order_by(Article.id)).all()
    for i, article in enumerate(stored):
        expected = read_file(folder / f"story-{i:02d}.html").candidates[0]
        assert f"Paragraph only in story {i:02d}." in article.text
        assert article.title == expected["title"]
        assert article.text == expected["text"]
