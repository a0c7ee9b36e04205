"""A server process imports the numerical libraries in the background after its first request,
so that the first agreement page it shows does not wait 2 s for them (issue 26)."""

import sys
import threading
import time

from app import warmup
from tests.conftest import make_app


def _warm_up_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "parallax-warm-up"]


def test_the_first_request_starts_one_background_import(sqlite_url, tmp_path, monkeypatch):
    # A module nothing else imports stands in for the heavy ones, so the test sees it arrive.
    monkeypatch.setattr(warmup, "HEAVY_MODULES", ("this_test_warm_module",))
    (tmp_path / "this_test_warm_module.py").write_text("import time\ntime.sleep(0.3)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "this_test_warm_module", raising=False)
    app = make_app(sqlite_url, tmp_path, TESTING=False)
    client = app.test_client()

    client.get("/login")
    started = _warm_up_threads()
    assert len(started) == 1 and started[0].daemon
    client.get("/login")
    assert _warm_up_threads() == started  # not a second one
    started[0].join(timeout=10)
    assert "this_test_warm_module" in sys.modules


def test_tests_and_commands_never_start_it(app, client):
    client.get("/login")
    time.sleep(0.05)
    assert _warm_up_threads() == []
