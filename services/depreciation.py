"""Posting depreciation for a month, and moving cheap objects off the balance sheet.

The rules themselves (bands, straight line, rounding) live in ``depreciation_rules``; this module
applies them to the asset table set-based: one SELECT of the few columns the rules need, one
executemany UPDATE per chunk, one executemany into the change log, all under one batch.

Off-balance objects (book value ≤ 10 000 ₽): when put into use they move to off-balance
account 21. The asset form does it when a commissioning date is saved (``off_balance_account``);
posting a month also moves any commissioned straggler (imported or bulk-edited records), so the
books are right after every posting whatever path created the record.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from models.rules import Refused
from models import Asset, AssetStatus, DepreciationPosting, utcnow
from models.changelog import audit_context, plain, record_changes
from models.types import Money

from .depreciation_rules import OFF_BALANCE_LIMIT, accrual_for_month, is_off_balance

OFF_BALANCE_ACCOUNT = "21"
CHUNK = 5000
# Written-off and disposed objects have left the books: nothing more is accrued on them.
GONE = (AssetStatus.written_off, AssetStatus.disposed)


class AlreadyPosted(Refused):
    def __init__(self, month: date):
        super().__init__(_l("Depreciation for %(month)s has already been posted.", month=month.strftime("%m.%Y")))
        self.month = month


@dataclass
class PostingResult:
    month: date
    assets: int
    total: Decimal
    moved_off_balance: int
    batch_id: str


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def parse_month(text: str) -> date:
    """``2026-11`` (or ``11.2026``) → 1 November 2026; ValueError otherwise."""
    text = text.strip()
    for sep, order in (("-", "ym"), (".", "my")):
        parts = text.split(sep)
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            year, month = (parts[0], parts[1]) if order == "ym" else (parts[1], parts[0])
            return date(int(year), int(month), 1)
    raise ValueError(f"not a month: {text!r} (expected YYYY-MM)")


def off_balance_account(book_value, commissioned_on, balance_account):
    """The balance account an object should carry: 21 once a ≤ 10 000 ₽ object is in use."""
    if commissioned_on is not None and book_value is not None and is_off_balance(book_value):
        return OFF_BALANCE_ACCOUNT
    return balance_account


def _end_of_month(month: date) -> date:
    nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def _chunks(rows, size=CHUNK):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def move_off_balance(session: Session, until: date) -> int:
    """Put every object ≤ 10 000 ₽ commissioned by ``until`` on account 21; returns how many moved."""
    rows = session.execute(
        select(Asset.id, Asset.balance_account).where(
            Asset.book_value <= OFF_BALANCE_LIMIT, Asset.commissioned_on <= until,
            Asset.status.not_in(GONE),
            (Asset.balance_account != OFF_BALANCE_ACCOUNT) | Asset.balance_account.is_(None),
        )
    ).all()
    if not rows:
        return 0
    table = Asset.__table__
    ids = [r.id for r in rows]
    for part in _chunks(ids):
        session.execute(update(table).where(table.c.id.in_(part)).values(
            balance_account=OFF_BALANCE_ACCOUNT, version=table.c.version + 1, updated_at=utcnow()))
    record_changes(session, "off_balance", "asset",
                   {r.id: {"balance_account": [r.balance_account, OFF_BALANCE_ACCOUNT]} for r in rows})
    return len(rows)


def post_month(session: Session, month: date) -> PostingResult:
    """Accrue one month's depreciation on every asset still on the books, once per month.

    Raises AlreadyPosted if the month was posted before. The caller commits (or rolls back).
    """
    month = first_of_month(month)
    if session.scalar(select(DepreciationPosting.id).where(DepreciationPosting.month == month)):
        raise AlreadyPosted(month)
    end = _end_of_month(month)
    moved = move_off_balance(session, end)

    # Only objects the rules can accrue on: commissioned by the month's end, above the
    # off-balance limit, not yet fully depreciated.
    candidates = session.execute(
        select(Asset.id, Asset.book_value, Asset.commissioned_on, Asset.useful_life_months, Asset.depreciation)
        .where(Asset.status.not_in(GONE), Asset.commissioned_on <= end,
               Asset.book_value > OFF_BALANCE_LIMIT, Asset.depreciation < Asset.book_value)
        .order_by(Asset.id)
    ).all()
    updates, log = [], {}
    total = Decimal("0.00")
    for row in candidates:
        accrual = accrual_for_month(row.book_value, row.commissioned_on, row.useful_life_months, month)
        if accrual <= 0:
            continue
        # Opening balances may differ from the rules: depreciation still never exceeds book value.
        new = min(row.book_value, row.depreciation + accrual)
        if new == row.depreciation:
            continue
        total += new - row.depreciation
        updates.append({"b_id": row.id, "b_depreciation": new})
        log[row.id] = {"depreciation": [plain(row.depreciation), plain(new)]}

    table = Asset.__table__
    statement = (update(table).where(table.c.id == bindparam("b_id"))
                 .values(depreciation=bindparam("b_depreciation", type_=Money()),
                         version=table.c.version + 1, updated_at=utcnow()))
    connection = session.connection()
    for part in _chunks(updates):
        connection.execute(statement, part)
    record_changes(session, "depreciation", "asset", log)

    ctx = audit_context(session)
    session.add(DepreciationPosting(month=month, batch_id=ctx.batch_id, assets_count=len(updates), total=total))
    session.flush()
    return PostingResult(month, len(updates), total, moved, ctx.batch_id)

