"""The document engine: numbering, approval, cancellation and reversal of every document kind.

A kind registers what is particular to it (its model, who approves it, what approving, cancelling
and reversing do to other records); the engine does the rest the same way for all of them:
numbers per kind and year without gaps, draft → approved / cancelled with who and when, approval
only by the kind's approvers, approval final (batch undo refuses it, see ``FINAL_ACTIONS``), and
correction by a reversing document that is itself approved. ORM changes of the documents go to
the change log by the capture; kinds log their set-based writes with ``record_changes``.
"""
from dataclasses import dataclass, field
from datetime import date
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import DocumentCounter, Reversal, ReversalStatus, Role, utcnow
from models.rules import Refused

ADMINS = frozenset({Role.admin})
# Change-log actions that make a batch final: undoing it would take back an approval.
FINAL_ACTIONS = frozenset({"approve", "write_off", "dispose", "reverse", "decommission"})


class DocumentRefused(Refused):
    """The one refusal type (models.rules.Refused) with the records it concerns: ``message`` (lazy),
    ``details`` (lines naming what is wrong), each shown as its own message."""

    def __init__(self, message, details=()):
        super().__init__(message)
        self.message = message
        self.details = list(details)

    def messages(self, label=None):
        return [str(self.message)] + [str(d) for d in self.details[:20]]


@dataclass(frozen=True)
class Kind:
    key: str
    model: type
    label: object
    approvers: frozenset
    editors: frozenset = frozenset({Role.admin, Role.clerk})
    on_approve: Callable | None = None  # (session, document, user) -> None, before the state changes
    on_cancel: Callable | None = None   # (session, document) -> None
    on_reverse: Callable | None = None  # (session, document, reversal) -> None: take back what approval did
    extra: dict = field(default_factory=dict)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.key] = kind
    return kind


def kind_of(document) -> Kind:
    """The registered kind of a document; each kind registers itself when its service module is imported
    (services/document_kinds.py imports them all)."""
    return KINDS[type(document).document_kind]


def document_tables() -> set[str]:
    return {k.model.__tablename__ for k in KINDS.values()}


# --- numbering ---------------------------------------------------------------------------------

def next_number(session: Session, kind: str, year: int) -> int:
    """The next number of the series (kind, year). The counter row is locked until the caller's
    transaction ends, so two documents never get one number, and numbers given are never skipped
    (a cancelled draft keeps its number)."""
    counter = session.execute(select(DocumentCounter).where(DocumentCounter.kind == kind, DocumentCounter.year == year)
                              .with_for_update()).scalar_one_or_none()
    if counter is None:
        model = KINDS[kind].model if kind in KINDS else None
        start = 0
        if model is not None:
            start = session.scalar(select(func.max(model.number)).where(model.year == year)) or 0
        counter = DocumentCounter(kind=kind, year=year, last=start)
        session.add(counter)
    counter.last += 1
    session.flush()
    return counter.last


def number(session: Session, document, day: date) -> None:
    document.year = day.year
    document.number = next_number(session, type(document).document_kind, day.year)


# --- states ------------------------------------------------------------------------------------

def _status_value(document) -> str:
    return getattr(document.status, "value", document.status)


def _set_status(document, value: str):
    document.status = type(document.status)(value) if document.status is not None else value


def require_draft(document):
    if _status_value(document) != "draft":
        raise DocumentRefused(_l("Document %(doc)s is %(status)s; only a draft can be changed.",
                                 doc=str(document), status=str(document.status.label).lower()))


def may_approve(document, user) -> bool:
    return getattr(user, "role", None) in approvers(document)


def approvers(document) -> frozenset:
    if isinstance(document, Reversal):
        target = KINDS.get(document.target_kind)
        return target.approvers if target else ADMINS
    return kind_of(document).approvers


def approve(session: Session, document, user):
    """Approve a draft: the kind's effects, then the state with who and when. Final."""
    if not may_approve(document, user):
        raise DocumentRefused(_l("Your role may not approve this document; it is approved by: %(roles)s.",
                                 roles=", ".join(str(r.label) for r in sorted(approvers(document)))))
    require_draft(document)
    if isinstance(document, Reversal):
        _apply_reversal(session, document)
    else:
        kind = kind_of(document)
        if kind.on_approve:
            kind.on_approve(session, document, user)
    _set_status(document, "approved")
    document.approved_by_id = getattr(user, "id", None)
    document.approved_at = utcnow()
    session.flush()


def cancel(session: Session, document, user=None):
    """Cancel a draft (it keeps its number, so the series has no gap)."""
    require_draft(document)
    if not isinstance(document, Reversal):
        kind = kind_of(document)
        if user is not None and getattr(user, "role", None) not in kind.editors | kind.approvers:
            raise DocumentRefused(_l("Your role may not cancel this document."))
        if kind.on_cancel:
            kind.on_cancel(session, document)
    _set_status(document, "cancelled")
    document.cancelled_by_id = getattr(user, "id", None)
    document.cancelled_at = utcnow()
    session.flush()


# --- reversal ----------------------------------------------------------------------------------

def reversal_of(session: Session, document) -> Reversal | None:
    """The reversing document (draft or approved) of ``document``, if any."""
    return session.scalars(select(Reversal).where(
        Reversal.target_kind == type(document).document_kind, Reversal.target_id == document.id,
        Reversal.status != ReversalStatus.cancelled).order_by(Reversal.id)).first()


def request_reversal(session: Session, document, user, reason: str, day: date | None = None) -> Reversal:
    """A draft reversing document for an approved one; approving it takes the effects back."""
    reason = (reason or "").strip()
    if _status_value(document) != "approved":
        raise DocumentRefused(_l("Only an approved document is reversed; a draft is cancelled."))
    if not reason:
        raise DocumentRefused(_l("Give the reason for the reversal."))
    kind = kind_of(document)
    if kind.on_reverse is None:
        raise DocumentRefused(_l("Documents of this kind cannot be reversed."))
    if getattr(user, "role", None) not in kind.editors | kind.approvers:
        raise DocumentRefused(_l("Your role may not draw up a reversal."))
    existing = reversal_of(session, document)
    if existing is not None:
        raise DocumentRefused(_l("Document %(doc)s already has reversal %(rev)s (%(status)s).", doc=str(document),
                                 rev=str(existing), status=str(existing.status.label).lower()))
    day = day or date.today()
    reversal = Reversal(doc_date=day, status=ReversalStatus.draft, target_kind=kind.key, target_id=document.id,
                        reason=reason, created_by_id=getattr(user, "id", None))
    number(session, reversal, day)
    session.add(reversal)
    session.flush()
    return reversal


def target_of(session: Session, reversal: Reversal):
    return session.get(KINDS[reversal.target_kind].model, reversal.target_id)


def _apply_reversal(session, reversal):
    target = target_of(session, reversal)
    if target is None or _status_value(target) != "approved":
        raise DocumentRefused(_l("The reversed document is no longer approved; nothing was changed."))
    kind_of(target).on_reverse(session, target, reversal)


register(Kind("reversal", Reversal, _l("Reversal"), ADMINS | frozenset({Role.head})))
