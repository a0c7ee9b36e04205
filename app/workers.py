"""Server processes: one that loaded a large library for one request retires after it.

A Parquet export imports pyarrow (54 MB), which a process keeps until it ends: every worker
that once wrote Parquet would hold it for good, and the large workload's workers ended at
342 MB against a target of 200. Under gunicorn, the process that served such a request is
told to stop once the response is sent (SIGTERM: gunicorn's graceful stop, after the request
in hand), and gunicorn starts a fresh one in its place. Under `flask run` nothing happens.
"""

from __future__ import annotations

import os
import signal

from flask import Response, request


def retire_after(response: Response) -> Response:
    if str(request.environ.get("SERVER_SOFTWARE", "")).startswith("gunicorn/"):
        pid = os.getpid()
        response.call_on_close(lambda: os.kill(pid, signal.SIGTERM))
    return response
