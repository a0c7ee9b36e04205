"""Login, logout, account."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from limits import parse
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from app.capabilities import requires
from app.errors import DomainError
from app.extensions import limiter
from app.models import limits
from app.services import accounts

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in on this device")


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths; anything else goes home (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
        ):
            return target
    return url_for("events.index")


def _tried_name() -> str:
    return (request.form.get("username") or "").strip().lower()


def _login_pair() -> str:
    """The per-account limit's key: the name being tried from this address. Counting per
    name from anywhere would let anyone lock anyone out (OWASP: no lock-out by others)."""
    return f"login-pair:{_tried_name()}:{get_remote_address()}"


def _slow_down_if_targeted(name: str) -> None:
    """A name failed more than ACCOUNT_LOGIN_SLOWDOWN times from all addresses together is
    answered LOGIN_SLOWDOWN_SECONDS later, never refused: guessing across many addresses
    slows down, and the owner still gets in."""
    item = parse(current_app.config["ACCOUNT_LOGIN_SLOWDOWN"])
    if not limiter.limiter.test(item, "login-account", name):
        time.sleep(current_app.config["LOGIN_SLOWDOWN_SECONDS"])


def _count_failure(name: str) -> None:
    limiter.limiter.hit(parse(current_app.config["ACCOUNT_LOGIN_SLOWDOWN"]), "login-account", name)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["ACCOUNT_LOGIN_RATE_LIMIT"],
    key_func=_login_pair,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 401,
)
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        name = _tried_name()
        if current_app.config.get("RATELIMIT_ENABLED", True):
            _slow_down_if_targeted(name)
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is None and current_app.config.get("RATELIMIT_ENABLED", True):
            _count_failure(name)
        if user is not None:
            remember = bool(form.remember.data)
            login_user(accounts.start_login(user, remember=remember), remember=remember)
            return redirect(_safe_next(request.args.get("next")))
        flash("Wrong username or password.", "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


class LogoutForm(FlaskForm):
    pass


@bp.route("/logout", methods=["GET", "POST"])
@requires("use_account")
def logout():
    # GET shows a confirmation so a cross-site link cannot log anyone out.
    form = LogoutForm()
    if request.method == "POST" and form.validate_on_submit():
        _end_this_login()
        flash("You are logged out.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.html", form=form)


def _end_this_login() -> None:
    """Delete this browser's Login (its cookies are then worthless) and clear them."""
    accounts.end_login(current_user.login_key)
    logout_user()


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token is all it carries."""


class TokenForm(FlaskForm):
    name = StringField("What it is for", validators=[Optional(), Length(max=limits.TOKEN_NAME)])
    scope = RadioField(
        "It may",
        choices=[
            SelectChoice("read", "read only"),
            SelectChoice("write", "read and write (what your role may)"),
        ],
        default="read",
    )


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    new = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=accounts.MIN_PASSWORD_LENGTH, max=200)],
    )
    repeat = PasswordField(
        "New password again", validators=[DataRequired(), EqualTo("new", "The two differ.")]
    )


def _account_page(password_form=None, token=None, status=200, token_form=None):
    return (
        render_template(
            "auth/account.html",
            form=ActionForm(),
            token_form=token_form or TokenForm(),
            password_form=password_form or PasswordForm(),
            token=token,
            tokens=accounts.tokens_of(current_user),
            logins=accounts.logins_of(current_user),
        ),
        status,
    )


@bp.route("/account", methods=["GET", "POST"])
@requires("use_account")
def account():
    """Your password, API tokens and logins. POST (the page's form) makes a new token."""
    form = TokenForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return _account_page(token_form=form, status=422)
        token = accounts.create_token(
            current_user.username, scope=form.scope.data, name=form.name.data or None
        )
        return _account_page(token=token)
    return _account_page()


@bp.post("/account/password")
@requires("use_account")
def change_password():
    form = PasswordForm()
    if not form.validate_on_submit():
        return _account_page(password_form=form, status=422)
    user = current_user._get_current_object()
    try:
        accounts.change_password(user, form.current.data, form.new.data)
    except DomainError as exc:
        form.current.errors = [exc.message]
        return _account_page(password_form=form, status=422)
    # Every login ended, this one too; this browser carries on under a new one.
    login_user(accounts.start_login(user, remember=False))
    flash(
        "Password changed. Every other browser logged in as you is logged out, and your API "
        "tokens are revoked: make new ones for your scripts.",
        "info",
    )
    return redirect(url_for("auth.account"))


@bp.post("/account/tokens/<int:token_id>/revoke")
@requires("use_account")
def revoke_token(token_id: int):
    if ActionForm().validate_on_submit():
        accounts.revoke_token(current_user, token_id)
        flash(f"Token {token_id} revoked: scripts using it are refused from now on.", "info")
    return redirect(url_for("auth.account"))


@bp.post("/account/logout-everywhere")
@requires("use_account")
def logout_everywhere():
    if ActionForm().validate_on_submit():
        ended = accounts.end_all_logins(current_user)
        logout_user()
        flash(f"Logged out everywhere ({ended} browsers).", "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.account"))
