"""/admin/users (accounts) and /admin/codebook (what labels mean), for admins. Every change is
a POST with the page's CSRF token."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.capabilities import ROLES, requires
from app.errors import DomainError
from app.models import limits
from app.services import accounts
from app.services.review import codebook

bp = Blueprint("admin", __name__, url_prefix="/admin")

ACTIONS = ("role", "disable", "enable", "reset", "delete", "logout")


class NewUserForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=limits.USERNAME)])
    role = SelectField("Role", choices=list(ROLES), default="reviewer")


class UserActionForm(FlaskForm):
    """One change to one account: `action` says which; `role` goes with action=role."""

    action = SelectField(choices=list(ACTIONS))
    role = SelectField(choices=list(ROLES), validate_choice=False)


def _page(new_form=None, password=None, status=200):
    return (
        render_template(
            "admin/users.html",
            rows=accounts.users_overview(),
            new_form=new_form or NewUserForm(),
            action_form=UserActionForm(),
            roles=ROLES,
            password=password,
        ),
        status,
    )


@bp.get("/users")
@requires("manage_users")
def users():
    return _page()


@bp.post("/users")
@requires("manage_users")
def create_user():
    form = NewUserForm()
    if not form.validate_on_submit():
        return _page(new_form=form, status=422)
    try:
        user, password = accounts.admin_create_user(
            current_user, form.username.data, form.role.data
        )
    except DomainError as exc:
        form.username.errors = [exc.message]
        return _page(new_form=form, status=exc.status)
    flash(f"Created {user.username} ({user.role}).", "info")
    return _page(password=(user.username, password), status=201)


@bp.post("/users/<int:user_id>")
@requires("manage_users")
def change_user(user_id: int):
    form = UserActionForm()
    if not form.validate_on_submit():
        flash("That change was not understood; reload the page and try again.", "error")
        return redirect(url_for("admin.users")), 303
    user = accounts.get_user(user_id)
    action = form.action.data
    if action == "role":
        accounts.set_role(current_user, user, request.form.get("role"))
        flash(f"{user.username} is now {user.role}.", "info")
    elif action in ("disable", "enable"):
        accounts.set_active(current_user, user, action == "enable")
        flash(
            f"{user.username} is enabled."
            if user.active
            else f"{user.username} is disabled: logged out everywhere, tokens revoked.",
            "info",
        )
    elif action == "logout":
        accounts.end_all_logins(user)
        flash(f"{user.username} is logged out everywhere.", "info")
    elif action == "reset":
        password = accounts.reset_password(current_user, user)
        flash(f"New password for {user.username}; they are logged out everywhere.", "info")
        return _page(password=(user.username, password))
    elif action == "delete":
        name = user.username
        accounts.delete_user(current_user, user)
        flash(f"Deleted {name}.", "info")
    return redirect(url_for("admin.users")), 303


@bp.get("/codebook")
@requires("manage_codebook")
def codebook_page():
    return render_template("admin/codebook.html", entries=codebook.entries())


@bp.post("/codebook")
@requires("manage_codebook")
def codebook_save():
    """Save every label's definition and examples from the one form."""
    for entry in codebook.entries():
        codebook.set_entry(
            entry.label,
            request.form.get(f"definition-{entry.label}", ""),
            request.form.get(f"examples-{entry.label}", ""),
            current_user,
        )
    flash("Codebook saved.", "info")
    return redirect(url_for("admin.codebook_page")), 303
