"""Login and logout pages in the panel's own layout, and loading the user of a session cookie."""
import secrets
from urllib.parse import urlsplit, urlunsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext, lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired

from models import User, db
from services.accounts import authenticate, end_sessions, is_locked_out, refuse_attempt

from .ids import parse_id

DEVICE_COOKIE = "khozchast_device"
DEVICE_DAYS = 90


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired()])
    password = PasswordField(_l("Password"), validators=[InputRequired()])


def safe_next(target: str | None) -> str:
    """Only a local path (with its query) survives; anything else goes to the home page.

    Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so ``/\\t/evil``
    or ``/\\evil`` would leave the site: any control character or backslash refuses the target.
    """
    fallback = url_for("admin.index")
    if not target or any(ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return fallback
    return urlunsplit(("", "", parts.path, parts.query, ""))


# The «known browser» token: set on a successful login, it exempts this browser from the lock that
# strangers' failures put on the username (services.accounts).
def _device_serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-browser")


def known_device(username: str) -> str | None:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        data = _device_serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != username or not isinstance(data.get("t"), str):
        return None
    return data["t"]


def remember_device(response, username: str):
    token = known_device(username) or secrets.token_hex(16)
    config = current_app.config
    response.set_cookie(DEVICE_COOKIE, _device_serializer().dumps({"u": username, "t": token}),
                        max_age=DEVICE_DAYS * 86400, httponly=True, samesite="Lax",
                        secure=config.get("SESSION_COOKIE_SECURE", False), path="/admin/login/")
    return response


class LoginView(BaseView):
    def is_visible(self):
        return False

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = LoginForm()
        if form.validate_on_submit():
            username = form.username.data.strip()
            client = request.remote_addr
            device = known_device(username)
            if is_locked_out(db.session, username, client, device):
                refuse_attempt(form.password.data)
                flash(gettext("Too many failed attempts. Login for this user is blocked for 15 minutes."), "error")
            else:
                user = authenticate(db.session, username, form.password.data, client=client, device=device)
                db.session.commit()
                if user:
                    session.clear()  # nothing from before the login carries over (session fixation)
                    login_user(user)
                    session["lang"] = user.language.value  # the user's preferred language from now on
                    return remember_device(redirect(safe_next(request.args.get("next"))), username)
                flash(gettext("Wrong username or password, or the account is disabled."), "error")
        return self.render("admin/login.html", form=form)


class LogoutView(BaseView):
    def is_visible(self):
        return False

    @expose("/", methods=("POST",))
    def index(self):
        if current_user.is_authenticated:
            end_sessions(db.session, current_user.id)  # a copy of this cookie (or any other) stops working
            db.session.commit()
        logout_user()
        session.clear()
        return redirect(url_for("login.index"))


def load_user(user_id: str):
    """The user of a session cookie, if the cookie's session generation is still the user's."""
    raw_id, _, raw_generation = (user_id or "").partition(":")
    pk, generation = parse_id(raw_id), parse_id(raw_generation)
    if pk is None or generation is None:
        return None
    user = db.session.get(User, pk)
    if user is None or not user.is_active or (user.session_generation or 1) != generation:
        return None
    return user
