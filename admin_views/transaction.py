"""The transaction protocol of every view: services never commit; the request does, once, here.

``in_transaction(work, …)`` runs a service call, commits, and returns its result. A ``Refused`` (the one
refusal type of models/rules.py) rolls everything back and shows each problem as a flash message in the
user's language; the caller gets ``REFUSED`` and shows the page again. Any other error rolls back and
propagates (Flask-Admin's error handling, a 500 page).
"""
from flask import flash

from models import db
from models.rules import Refused

REFUSED = object()


def in_transaction(work, *args, on_refused=None, **kwargs):
    """``work(*args, **kwargs)`` committed; on a refusal, rolled back and flashed (then ``on_refused(exc)``
    is returned if given, else ``REFUSED``)."""
    try:
        result = work(*args, **kwargs)
        db.session.commit()
    except Refused as exc:
        db.session.rollback()
        for message in exc.messages():
            flash(message, "error")
        return on_refused(exc) if on_refused is not None else REFUSED
    except Exception:
        db.session.rollback()
        raise
    return result
