"""Agreement pages: an event's, an outlet's and the corpus's, each with a CSV download."""

from __future__ import annotations

import io

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from app.capabilities import requires
from app.extensions import db
from app.formats import attachment
from app.formats.csv_format import writer_for
from app.models import Event, Outlet
from app.services.compare import figures
from app.services.review import agreement

bp = Blueprint("agreement", __name__)


def _scope(**where) -> agreement.Scope:
    """The figures as this user may see them (blind mode), independent assessments only
    unless ?informed=1."""
    return agreement.Scope(
        **where,
        viewer=current_user._get_current_object(),
        informed=request.args.get("informed") == "1",
    )


def _page(scope: agreement.Scope, title: str, back: tuple[str, str] | None, csv_url: str):
    if scope.informed:
        csv_url += "?informed=1"

    def render() -> str:
        return render_template(
            "_agreement.html",
            result=agreement.compute(scope),
            title=title,
            back=back,
            csv_url=csv_url,
            min_units=agreement.MIN_UNITS,
            bootstrap=agreement.BOOTSTRAP,
            informed=scope.informed,
        )

    if scope.event_id is not None:  # an event's figures are kept while its claims stand
        event = db.session.get(Event, scope.event_id)
        body = figures.kept_html(
            figures.event_state(event), "agreement", scope.viewer, render, scope.informed
        )
    else:
        body = render()
    return render_template("agreement.html", body=body, title=title, back=back)


@bp.route("/agreement")
@requires("read")
def corpus():
    return _page(_scope(), "All events", None, "/agreement.csv")


@bp.route("/events/<int:event_id>/agreement")
@requires("read")
def event(event_id: int):
    ev = db.get_or_404(Event, event_id)
    return _page(
        _scope(event_id=ev.id),
        ev.title,
        (ev.title, f"/events/{ev.id}"),
        f"/events/{ev.id}/agreement.csv",
    )


@bp.route("/outlets/<int:outlet_id>/agreement")
@requires("read")
def outlet(outlet_id: int):
    source = db.get_or_404(Outlet, outlet_id)
    return _page(
        _scope(outlet_id=source.id),
        source.name,
        (source.name, f"/outlets/{source.id}"),
        f"/outlets/{source.id}/agreement.csv",
    )


@bp.route("/agreement.csv")
@requires("read")
def corpus_csv():
    return _csv(_scope(), "agreement_all")


@bp.route("/events/<int:event_id>/agreement.csv")
@requires("read")
def event_csv(event_id: int):
    db.get_or_404(Event, event_id)
    return _csv(_scope(event_id=event_id), f"agreement_event-{event_id}")


@bp.route("/outlets/<int:outlet_id>/agreement.csv")
@requires("read")
def outlet_csv(outlet_id: int):
    db.get_or_404(Outlet, outlet_id)
    return _csv(_scope(outlet_id=outlet_id), f"agreement_outlet-{outlet_id}")


COLUMNS = ["section", "first", "second", "figure", "value", "low", "high", "n", "note"]


def _csv(scope: agreement.Scope, name: str) -> Response:
    """One row per figure: tidy, for R or pandas."""
    result = agreement.compute(scope)
    buffer = io.StringIO()
    writer = writer_for(buffer)
    writer.writerow(COLUMNS)

    def statistic(section, first, second, figure, s: agreement.Statistic):
        writer.writerow([section, first, second, figure, s.value, s.low, s.high, s.n, s.reason])

    statistic("labels", "", "", "krippendorff_alpha_nominal", result.alpha)
    statistic("labels", "", "", "percent_agreement", result.percent)
    writer.writerow(["labels", "", "", "claims", result.claims, "", "", "", ""])
    writer.writerow(["labels", "", "", "units", result.units, "", "", "", ""])
    writer.writerow(["labels", "", "", "pairable_values", result.values, "", "", "", ""])
    for first, row in zip(result.labels, result.confusion, strict=False):  # none: too few
        for second, pairs in zip(result.labels, row, strict=True):
            writer.writerow(["confusion", first, second, "pairs", pairs, "", "", "", ""])
    for pair in result.kappas:
        statistic("pair", pair.first, pair.second, "cohen_kappa", pair.kappa)
        statistic("pair", pair.first, pair.second, "percent_agreement", pair.percent)
    for row in result.events:
        statistic("event", row.title, "", "krippendorff_alpha_nominal", row.alpha)
        statistic("event", row.title, "", "percent_agreement", row.percent)
    for row in result.unitizing:
        statistic("span_label", row.label, "", "krippendorff_alpha_u", row.alpha)
        writer.writerow(["span_label", row.label, "", "spans", row.spans, "", "", "", ""])
    for pair in result.spans:
        for figure, value in (
            ("exact_f1", pair.exact_f1),
            ("overlap_f1", pair.overlap_f1),
            ("only_first", pair.only_first),
            ("only_second", pair.only_second),
            ("first_spans", pair.first_spans),
            ("second_spans", pair.second_spans),
        ):
            writer.writerow(
                [
                    "spans",
                    pair.first,
                    pair.second,
                    figure,
                    value,
                    "",
                    "",
                    pair.articles,
                    pair.reason,
                ]
            )
        ids = " ".join(map(str, pair.article_ids))
        writer.writerow(["spans", pair.first, pair.second, "article_ids", ids, "", "", "", ""])
    for article in result.span_articles:
        writer.writerow(
            [
                "span_article",
                article.article_id,
                " ".join(article.reviewers),
                "spans",
                article.spans,
                "",
                "",
                "",
                " ".join(article.left_out),
            ]
        )
    writer.writerow(["notes", "", "", "pooled", result.pooled, "", "", "", ""])
    writer.writerow(["notes", "", "", "hidden_claims", result.hidden_claims, "", "", "", ""])
    for row in result.reviewers:
        statistic("reviewer", row.reviewer, "", "agreement_with_final", row.agreement)
        writer.writerow(["reviewer", row.reviewer, "", "assessed", row.assessed, "", "", "", ""])
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": attachment(f"parallax-{name}.csv")},
    )
