"""Users: creation, password checks and the throttle on guessing."""
from datetime import timedelta

from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from models.rules import Refused
from models import FailedLogin, Language, Role, User, utcnow

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)


class AccountError(Refused):
    pass


def create_user(session, username, password, role, full_name=None, language=Language.ru) -> User:
    if not username or not password:
        raise AccountError("username and password are required")
    if session.scalar(select(User.id).where(User.username == username)):
        raise AccountError(f"user {username!r} already exists")
    user = User(username=username, full_name=full_name or username, role=Role(role),
                language=Language(language), password_hash=generate_password_hash(password), is_active=True)
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = generate_password_hash(password)


def is_locked_out(session, username: str) -> bool:
    since = utcnow() - LOCKOUT
    failures = session.scalar(
        select(func.count()).select_from(FailedLogin).where(FailedLogin.username == username, FailedLogin.at >= since)
    )
    return failures >= MAX_FAILURES


def authenticate(session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None (and the failure is remembered)."""
    user = session.scalar(select(User).where(User.username == username))
    if user and user.is_active and check_password_hash(user.password_hash, password or ""):
        session.execute(delete(FailedLogin).where(FailedLogin.username == username))
        return user
    session.add(FailedLogin(username=username or ""))
    return None
