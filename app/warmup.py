"""Import the numerical libraries in the background once a server process takes requests.

numpy, krippendorff, SciPy's optimizer and scikit-learn's metrics are imported where they are
used (agreement, span matching), so that the CLI and the other pages start without them. On
their own they took 2.2 s of the first agreement page a server process showed (issue 26
asked for every first view within 1 s). The first request a process serves starts a thread
that imports them while the person is still logging in or reading; a page that needs them
before the thread is done waits only for the rest. The tests and the CLI never start it.
"""

from __future__ import annotations

import importlib
import threading

from flask import Flask

HEAVY_MODULES = ("numpy", "krippendorff", "scipy.optimize", "sklearn.metrics")


def _import_all() -> None:
    for name in HEAVY_MODULES:
        importlib.import_module(name)


def init_app(app: Flask) -> None:
    if app.testing:
        return
    started = threading.Lock()

    def warm_up() -> None:
        if started.acquire(blocking=False):  # once per process; never released
            threading.Thread(target=_import_all, name="parallax-warm-up", daemon=True).start()

    app.before_request(warm_up)
