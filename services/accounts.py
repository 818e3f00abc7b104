"""Users: creation, password checks, the throttle on guessing and ending sessions.

The throttle (docs/security.md): failures are remembered per username and per client address for
``LOCKOUT``. A username is locked after ``MAX_FAILURES`` failures from anywhere, a client address
after ``MAX_CLIENT_FAILURES`` failures for any usernames. The grace for the real user: a browser the
user last logged in from successfully (a signed «known browser» token) is judged only by its own
failures, so a stranger guessing someone's password cannot lock that person out of their own desk.
"""
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from models.rules import Refused
from models import FailedLogin, Language, Role, User, utcnow

MAX_FAILURES = 5
MAX_CLIENT_FAILURES = 20
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
    """A new password hash; the flush also ends the user's sessions (models.accounts)."""
    user.password_hash = generate_password_hash(password)


def end_sessions(session, user_id: int) -> None:
    """Every session cookie of the user stops working (logout everywhere).

    A plain UPDATE: the record's version and the change log are about what the user may do, not
    about them logging out.
    """
    session.execute(update(User).where(User.id == user_id)
                    .values(session_generation=User.session_generation + 1)
                    .execution_options(synchronize_session=False))


def _failures(session, *conditions) -> int:
    since = utcnow() - LOCKOUT
    return session.scalar(select(func.count()).select_from(FailedLogin).where(FailedLogin.at >= since, *conditions))


def is_locked_out(session, username: str, client: str | None = None, device: str | None = None) -> bool:
    if device:  # a browser this user last logged in from: only its own failures count
        return _failures(session, FailedLogin.username == username, FailedLogin.device == device) >= MAX_FAILURES
    if _failures(session, FailedLogin.username == username) >= MAX_FAILURES:
        return True
    return bool(client) and _failures(session, FailedLogin.client == client) >= MAX_CLIENT_FAILURES


_dummy_hash: list[str] = []


def _burn_hash(password: str) -> None:
    """The same hashing work as a real check, so the time taken doesn't tell a real username."""
    if not _dummy_hash:
        _dummy_hash.append(generate_password_hash("not a password of anyone"))
    check_password_hash(_dummy_hash[0], password or "")


def authenticate(session, username: str, password: str, client: str | None = None,
                 device: str | None = None) -> User | None:
    """The active user with these credentials, or None (and the failure is remembered)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        _burn_hash(password)
    elif check_password_hash(user.password_hash, password or ""):
        session.execute(delete(FailedLogin).where(FailedLogin.username == username))
        return user
    session.add(FailedLogin(username=(username or "")[:80], client=(client or None) and client[:64],
                            device=device))
    return None


def refuse_attempt(password: str) -> None:
    """A locked-out attempt costs the same as a real one."""
    _burn_hash(password)
