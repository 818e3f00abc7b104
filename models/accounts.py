"""Users of the panel and the failed-login record used to throttle guessing."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Tracked, utcnow
from .types import LabeledEnum, enum_column


class Role(LabeledEnum):
    admin = "admin", _l("Administrator")
    clerk = "clerk", _l("Clerk")
    accountant = "accountant", _l("Accountant")
    head = "head", _l("Head of department")
    viewer = "viewer", _l("Viewer")


class Language(LabeledEnum):
    ru = "ru", _l("Russian")
    en = "en", _l("English")


class User(Tracked, Base):
    __tablename__ = "user_account"
    verbose_name, verbose_name_plural = _l("User"), _l("Users")

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role), index=True)
    language: Mapped[Language] = mapped_column(enum_column(Language), default=Language.ru)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"), index=True)
    # Part of every session cookie (get_id); raising it ends every session the user has anywhere.
    session_generation: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    employee: Mapped["Employee | None"] = relationship()  # noqa: F821

    # Flask-Login protocol, kept here so the model needs no Flask import.
    @property
    def is_authenticated(self):
        return True

    @property
    def is_anonymous(self):
        return False

    def get_id(self):
        # "id:generation": a cookie made before logout or a password/role change no longer loads the user.
        return f"{self.id}:{self.session_generation or 1}"

    def __str__(self):
        return self.full_name or self.username


# Changing what a user may do, or how they prove who they are, ends their sessions on every path
# (form, CLI, import, services).
SESSION_ENDING_FIELDS = ("password_hash", "role", "is_active")


@event.listens_for(User, "before_update")
def _end_sessions_on_credential_change(mapper, connection, user):
    state = inspect(user)
    if any(state.attrs[key].history.has_changes() for key in SESSION_ENDING_FIELDS):
        user.session_generation = (user.session_generation or 1) + 1


class FailedLogin(Base):
    __tablename__ = "failed_login"
    verbose_name, verbose_name_plural = _l("Failed login"), _l("Failed logins")

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    client: Mapped[str | None] = mapped_column(String(64), index=True)  # the address the attempt came from
    device: Mapped[str | None] = mapped_column(String(64), index=True)  # the known-browser token, if it had one
