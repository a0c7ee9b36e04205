"""The browser tests' HTTP server: a client that hangs up mid-response leaks nothing."""

from __future__ import annotations

import gc
import sys
import warnings

from werkzeug.test import EnvironBuilder

from tests.conftest import _closing_iterables


def _abandoned_static_response(wsgi_app):
    """Start serving a static file, take its first chunk, then drop it as a reset server does."""
    environ = EnvironBuilder(path="/static/favicon.svg").get_environ()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)  # as the suite runs: a leak is raised
        body = iter(wsgi_app(environ, lambda status, headers, exc_info=None: None))
        assert next(body)
        del body
        gc.collect()


def test_an_abandoned_response_closes_its_file(app, monkeypatch):
    leaks = []
    monkeypatch.setattr(sys, "unraisablehook", leaks.append)
    _abandoned_static_response(_closing_iterables(app))
    assert leaks == []


def test_without_the_wrapper_the_file_is_left_to_the_collector(app, monkeypatch):
    """The case the wrapper exists for: if Flask ever closes this itself, the wrapper can go."""
    leaks = []
    monkeypatch.setattr(sys, "unraisablehook", leaks.append)
    _abandoned_static_response(app)
    assert [type(leak.exc_value) for leak in leaks] == [ResourceWarning]
