"""Login and logout pages in the panel's own layout."""
from flask import flash, redirect, request, session, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext, lazy_gettext as _l
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired

from models import User, db
from services.accounts import authenticate, is_locked_out


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired()])
    password = PasswordField(_l("Password"), validators=[InputRequired()])


def safe_next(target: str | None) -> str:
    # Only local paths: never bounce a fresh login to another site.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("admin.index")


class LoginView(BaseView):
    def is_visible(self):
        return False

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = LoginForm()
        if form.validate_on_submit():
            username = form.username.data.strip()
            if is_locked_out(db.session, username):
                flash(gettext("Too many failed attempts. Login for this user is blocked for 15 minutes."), "error")
            else:
                user = authenticate(db.session, username, form.password.data)
                db.session.commit()
                if user:
                    login_user(user)
                    session["lang"] = user.language.value  # the user's preferred language from now on
                    return redirect(safe_next(request.args.get("next")))
                flash(gettext("Wrong username or password, or the account is disabled."), "error")
        return self.render("admin/login.html", form=form)


class LogoutView(BaseView):
    def is_visible(self):
        return False

    @expose("/", methods=("POST",))
    def index(self):
        logout_user()
        return redirect(url_for("login.index"))


def load_user(user_id: str):
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user and user.is_active else None
