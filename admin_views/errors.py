"""Error pages in the panel's layout and the user's language, and the request guard in front of every view.

No page ever shows a stack trace, SQL or a database message: a 500 is logged with its details and
answered with a plain apology (the transaction is rolled back, so nothing is half-written).
"""
import re

from flask import current_app, request
from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from models import db
from models.labels import FIELD_LABELS

TITLES = {
    400: _l("The request can't be accepted"),
    403: _l("Access denied"),
    404: _l("Not found"),
    405: _l("Not allowed here"),
    413: _l("Too large"),
    500: _l("Something went wrong"),
}
MESSAGES = {
    400: _l("The request contained something the panel cannot accept (an invalid character or value). "
            "Go back, check what you entered and try again."),
    403: _l("Your role doesn't allow this page or action. Ask an administrator if you need it."),
    404: _l("There is no such page or record. It may have been deleted, or the address is mistyped."),
    405: _l("This address doesn't accept this kind of request. Use the panel's buttons and links."),
    413: _l("The file or form is too large: at most %(mb)s MB can be sent at once. Split the file into several."),
    500: _l("Something went wrong on our side; nothing was saved. The error has been logged; try again "
            "or tell the administrator what you were doing."),
}


def error_page(code: int, message: str | None = None):
    """The panel's page for ``code`` (rendered through the admin so the menu and the user badge show)."""
    limit_mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    text = message or str(MESSAGES.get(code, MESSAGES[500])) % {"mb": limit_mb}
    title = str(TITLES.get(code, TITLES[500]))
    try:
        admin = current_app.extensions["admin"][0]
        body = admin.index_view.render("admin/error.html", code=code, title=title, message=text)
    except Exception:  # noqa: BLE001 - the page of last resort must not fail itself
        current_app.logger.exception("error page %s could not be rendered", code)
        body = f"<!doctype html><title>{code}</title><h1>{title}</h1><p>{text}</p>"
    return body, code


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in items) for key, items in values.lists())


def refuse_nul():
    """NUL can't be stored (PostgreSQL refuses it in text) and is never typed: refuse it everywhere."""
    posted = request.method in ("POST", "PUT", "PATCH")
    if "\x00" in request.path or _has_nul(request.args) or (posted and _has_nul(request.form)):
        return error_page(400, gettext("The request contains a NUL character; it can't be accepted."))
    return None


def register_error_pages(app):
    app.before_request(refuse_nul)

    def http_error(error: HTTPException):
        if isinstance(error, CSRFError):  # a form kept open too long, or sent from another site
            return error_page(400, gettext("The form's security token (CSRF) is missing or no longer valid; reload "
                                           "the page and send the form again."))
        return error_page(error.code or 500)

    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, http_error)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        original = getattr(error, "original_exception", None)
        if original is not None:
            current_app.logger.error("unhandled error on %s %s", request.method, request.path, exc_info=original)
        return error_page(500)


_UNIQUE = re.compile(r'UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)|unique constraint "uq_(\w+)"', re.I)


def database_refusal(exc: IntegrityError, model) -> str:
    """What a refused write means, in the user's words: a duplicate of named fields, or a conflict."""
    found = _UNIQUE.search(str(exc.orig))
    if found:
        table = model.__tablename__
        if found.group(1):
            names = [part.split(".")[-1] for part in found.group(1).split(", ")]
        else:  # PostgreSQL names the constraint: uq_<table>_<column>[_<column>…]
            suffix = found.group(2)[len(table) + 1:] if found.group(2).startswith(table + "_") else found.group(2)
            names = [c.key for c in model.__table__.columns if re.search(rf"(?:^|_){c.key}(?:_|$)", suffix)] or [suffix]
        labels = [str(FIELD_LABELS.get(name, name)) for name in names]
        return gettext("A record with the same %(fields)s already exists; nothing was saved.",
                       fields=", ".join(labels))
    return gettext("The change conflicts with existing data (a related record is missing or a value is out of "
                   "range); nothing was saved.")
