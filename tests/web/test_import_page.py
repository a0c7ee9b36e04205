"""The claim import page: an upload with a label map, a dry run that stores nothing, a
report per file, and a clear refusal of a file that is not one."""

from __future__ import annotations

import io
import json
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import Claim
from tests.conftest import unavailable
from tests.factories import csrf_token, login, make_user

INTEROP = Path(__file__).resolve().parents[3] / "shared" / "interop"


def _post(client, name: str, data: bytes, **fields):
    form = {
        "file": (io.BytesIO(data), name),
        "tool": "auto",
        "csrf_token": csrf_token(client, "/import/claims"),
        **fields,
    }
    return client.post("/import/claims", data=form, content_type="multipart/form-data")


def _claims() -> int:
    return db.session.scalar(select(func.count(Claim.id)))


def test_a_dry_run_reports_and_stores_nothing_then_the_import_stores(client):
    if not INTEROP.exists():
        unavailable(f"{INTEROP} is missing")
    login(client, make_user("admin"))
    data = (INTEROP / "labelstudio" / "JSON_MIN.json").read_bytes()
    dry = _post(client, "JSON_MIN.json", data, label_map="opinion=skip", dry_run="y")
    page = dry.get_data(as_text=True)
    assert dry.status_code == 200, page
    assert "Dry run: nothing was stored" in page and "would be created" in page
    assert "opinion skipped" in page
    assert _claims() == 0
    done = _post(client, "JSON_MIN.json", data, label_map="opinion=skip")
    assert done.status_code == 200
    assert "Imported" in done.get_data(as_text=True)
    assert _claims() > 150


def test_an_unmapped_label_is_listed_with_its_place(client):
    login(client, make_user("admin"))
    task = {"text": "The port reopened.", "annotator": 2}
    task["label"] = [{"start": 4, "end": 8, "labels": ["opinion"]}]
    data = json.dumps([task]).encode()
    page = _post(client, "tasks.json", data, dry_run="y").get_data(as_text=True)
    assert "tasks.json task 1, label 1" in page
    assert "label &#39;opinion&#39; is not one of Parallax&#39;s" in page


def test_a_file_that_is_not_annotations_is_refused_and_changes_nothing(client):
    login(client, make_user("admin"))
    response = _post(client, "notes.pdf", b"%PDF-1.4 binary")
    assert response.status_code == 422
    assert "not a file Parallax reads annotations from" in response.get_data(as_text=True)
    response = _post(client, "tasks.json", b"{not json")
    assert response.status_code == 422
    assert "is not JSON" in response.get_data(as_text=True)
    assert _claims() == 0


def test_only_admins_may_import(client):
    login(client, make_user("curator"))
    assert client.get("/import/claims").status_code == 403


def _held_token(page: str) -> str:
    import re

    return re.search(r'name="held" type="hidden" value="([^"]+)"', page).group(1)


def test_the_import_after_a_dry_run_needs_no_second_choice_of_the_file(client, app):
    login(client, make_user("admin"))
    task = {"text": "The port reopened on Monday.", "annotator": 2}
    task["label"] = [{"start": 4, "end": 8, "labels": ["supporting"]}]
    dry = _post(client, "tasks.json", json.dumps([task]).encode(), dry_run="y")
    page = dry.get_data(as_text=True)
    assert "Your dry run kept <strong>tasks.json</strong>" in page
    assert 'name="dry_run" type="checkbox" value="y">' in page  # unticked: next, the import
    assert _claims() == 0
    form = {
        "tool": "auto",
        "held": _held_token(page),
        "csrf_token": csrf_token(client, "/import/claims"),
    }
    done = client.post("/import/claims", data=form, content_type="multipart/form-data")
    assert done.status_code == 200, done.get_data(as_text=True)
    assert "Imported" in done.get_data(as_text=True) and _claims() == 1
    assert not any((Path(app.instance_path) / "held-imports").iterdir())  # dropped once used
    again = client.post("/import/claims", data=form, content_type="multipart/form-data")
    assert again.status_code == 422 and "Choose a file to import." in again.get_data(as_text=True)
    assert _claims() == 1


def test_another_sessions_token_does_not_import_a_kept_upload(client, app):
    login(client, make_user("admin"))
    task = {"text": "The port reopened on Monday.", "annotator": 2}
    task["label"] = [{"start": 4, "end": 8, "labels": ["supporting"]}]
    token = _held_token(
        _post(client, "tasks.json", json.dumps([task]).encode(), dry_run="y").get_data(as_text=True)
    )
    other = app.test_client()
    login(other, make_user("admin"))
    form = {"tool": "auto", "held": token, "csrf_token": csrf_token(other, "/import/claims")}
    refused = other.post("/import/claims", data=form, content_type="multipart/form-data")
    assert refused.status_code == 422 and _claims() == 0
