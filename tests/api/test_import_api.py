"""POST /api/v1/import/claims: a file and its options, a report per file; a dry run stores
nothing; a file that is not what it says is a 422 that changes nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import Claim
from app.services.accounts import create_token
from tests.conftest import unavailable
from tests.factories import make_user

INTEROP = Path(__file__).resolve().parents[3] / "shared" / "interop"


def _claims() -> int:
    return db.session.scalar(select(func.count(Claim.id)))


def _post(client, token, name, data, query=""):
    return client.post(
        f"/api/v1/import/claims{query}",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_doccano_file_dry_run_then_import(client):
    if not INTEROP.exists():
        unavailable(f"{INTEROP} is missing")
    make_user("admin", "ada")
    token = create_token("ada")
    db.session.commit()
    data = (INTEROP / "doccano" / "jsonl_individual" / "ann2.jsonl").read_bytes()
    dry = _post(client, token, "ann2.jsonl", data, "?label_map=opinion%3Dskip&dry_run=true")
    assert dry.status_code == 200, dry.get_json()
    (report,) = dry.get_json()["files"]
    assert report["claims_created"] > 50 and report["reviewers"] == ["ann2"]
    assert _claims() == 0
    done = _post(client, token, "ann2.jsonl", data, "?label_map=opinion%3Dskip")
    assert done.status_code == 200
    assert _claims() == report["claims_created"]


def test_a_bad_file_is_a_422_and_changes_nothing(client):
    make_user("admin", "ada")
    token = create_token("ada")
    db.session.commit()
    response = _post(client, token, "tasks.json", b"{not json", "?format=labelstudio")
    assert response.status_code == 422
    assert "is not JSON" in response.get_json()["message"]
    bad_map = _post(client, token, "x.json", json.dumps([]).encode(), "?label_map=a%3Dnope")
    assert bad_map.status_code == 422
    assert _claims() == 0


def test_reviewers_may_not_import(client):
    make_user("reviewer", "rana")
    token = create_token("rana")
    db.session.commit()
    assert _post(client, token, "x.json", b"[]").status_code == 403
