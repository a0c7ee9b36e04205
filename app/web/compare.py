"""The side-by-side view and the propositions x outlets matrix of one event."""

from __future__ import annotations

import io

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from app.capabilities import requires
from app.errors import InvalidInput
from app.extensions import db
from app.formats import attachment, csv_format
from app.models import Event
from app.models.limits import parse_id
from app.services.claims.visibility import presenter_for
from app.services.compare import comparison, figures
from app.text.segments import segments
from app.vocabulary import ORPHAN

bp = Blueprint("compare", __name__)


@bp.route("/events/<int:event_id>/compare")
@requires("read")
def compare(event_id: int):
    event = db.get_or_404(Event, event_id)
    chosen = _chosen_ids(request.args)
    state = figures.event_state(event)

    def render() -> str:
        snapshot = comparison.load_snapshot(
            event, presenter_for(current_user._get_current_object())
        )
        most = comparison.DEFAULT_COLUMNS
        try:
            result = comparison.build_comparison(snapshot, chosen, most)
        except InvalidInput:
            result = comparison.build_comparison(snapshot, None, most)
        columns = [
            (
                article,
                # An orphan's offsets point into an earlier revision: it has no place here.
                segments(
                    article.text,
                    [
                        (c.id, c.start, c.end)
                        for c in snapshot.claims(article)
                        if c.anchor != ORPHAN
                    ],
                ),
                {c.id: c for c in snapshot.claims(article)},
            )
            for article in result.articles
        ]
        return render_template(
            "compare/_compare.html",
            event=event,
            result=result,
            columns=columns,
            groups=comparison.stance_groups(list(snapshot.articles)),
            every=len(snapshot.articles),
            picked=chosen is not None,
            chosen={a.id: i + 1 for i, a in enumerate(result.articles)},
        )

    body = figures.kept_html(state, "compare", current_user, render, chosen)
    return render_template("compare/compare.html", event=event, body=body)


def _chosen_ids(args) -> list[int] | None:
    """Ticked articles, ordered by the position typed next to each (then by list order)."""
    picked = []
    for index, value in enumerate(args.getlist("article")):
        if (article_id := parse_id(value)) is None:
            continue
        position = parse_id(args.get(f"pos-{value}"))
        picked.append((999 if position is None else position, index, article_id))
    return [aid for _, _, aid in sorted(picked)] or None


@bp.route("/events/<int:event_id>/matrix")
@requires("read")
def matrix(event_id: int):
    event = db.get_or_404(Event, event_id)
    sort = request.args.get("sort", "proposition")
    if request.args.get("format") == "csv":
        return _matrix_csv(
            _build_matrix(event, sort)[1], request.args.get("neutralize_formulas") != "false"
        )

    def render() -> str:
        shown, result = _build_matrix(event, sort)
        return render_template("compare/_matrix.html", event=event, matrix=result, sort=shown)

    body = figures.kept_html(figures.event_state(event), "matrix", current_user, render, sort)
    return render_template("compare/matrix.html", event=event, body=body)


def _build_matrix(event: Event, sort: str) -> tuple[str, comparison.Matrix]:
    """The matrix in the asked order, or by proposition when that order is unknown."""
    snapshot = comparison.load_snapshot(event, presenter_for(current_user._get_current_object()))
    try:
        return sort, comparison.build_matrix(snapshot, sort)
    except InvalidInput:
        return "proposition", comparison.build_matrix(snapshot)


def _matrix_csv(result: comparison.Matrix, neutralize_formulas: bool) -> Response:
    """The matrix as CSV; formula cells neutralized unless ?neutralize_formulas=false."""
    buffer = io.StringIO()
    writer = csv_format.writer_for(buffer, neutralize_formulas)
    header = ["proposition_id", "proposition", "labels_differ", "numbers_conflict"]
    for outlet in result.outlets:
        header += [f"{outlet.name}: wording", f"{outlet.name}: label"]
    writer.writerow(header)
    for row in result.rows:
        line = [
            row.proposition.id,
            row.proposition.statement,
            str(row.labels_differ).lower(),
            str(row.numbers_conflict).lower(),
        ]
        for outlet in result.outlets:
            cell = row.cells[outlet.id]
            if cell is not None:
                line += [cell.wording, " | ".join(cell.labels)]
            else:  # a claim blind mode hides from this reader is not an omission
                line += ["", "hidden until you assess" if row.hidden.get(outlet.id) else "omitted"]
        writer.writerow(line)
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = attachment(
        f"parallax-matrix_event-{result.event.id}.csv"
    )
    return response
