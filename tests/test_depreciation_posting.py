"""Posting a month's depreciation: amounts by band, once per month, one audited batch, off-balance 21."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import Asset, AssetStatus, ChangeLogEntry, DepreciationPosting, db
from models.changelog import begin_batch
from services.depreciation import AlreadyPosted, parse_month, post_month
from tests import factories as f

D = Decimal


def _asset(session, value, **kw):
    kw.setdefault("commissioned_on", date(2026, 3, 15))
    kw.setdefault("useful_life_months", 60)
    kw.setdefault("balance_account", "101.34")
    return f.asset(session, book_value=D(value), depreciation=D("0.00"), **kw)


def test_posting_by_band_is_idempotent_and_audited(ctx):
    cheap = _asset(ctx, "10000.00")
    middle = _asset(ctx, "10000.01")
    upper = _asset(ctx, "100000.00")
    line = _asset(ctx, "100000.01", useful_life_months=60)
    gone = _asset(ctx, "500000.00", status=AssetStatus.written_off)
    later = _asset(ctx, "500000.00", commissioned_on=date(2026, 12, 1))
    ctx.commit()

    # March: the commissioning month — 10 000,01…100 000 fully depreciated, straight line not yet.
    result = post_month(ctx, date(2026, 3, 1))
    ctx.commit()
    assert result.assets == 2 and result.total == D("110000.01")
    ctx.expire_all()
    assert (middle.depreciation, upper.depreciation, line.depreciation) == (D("10000.01"), D("100000.00"), D("0"))
    assert cheap.depreciation == 0 and cheap.balance_account == "21"  # off-balance on commissioning
    assert result.moved_off_balance == 1

    # April: the first straight-line month, 100 000,01 / 60 = 1 666,67.
    begin_batch(ctx, username="test")
    post_month(ctx, date(2026, 4, 1))
    ctx.commit()
    ctx.expire_all()
    assert line.depreciation == D("1666.67")
    assert gone.depreciation == 0 and later.depreciation == 0

    with pytest.raises(AlreadyPosted):
        post_month(ctx, date(2026, 4, 20))
    ctx.rollback()
    ctx.expire_all()
    assert line.depreciation == D("1666.67")

    postings = ctx.scalars(select(DepreciationPosting).order_by(DepreciationPosting.month)).all()
    assert [p.month for p in postings] == [date(2026, 3, 1), date(2026, 4, 1)]
    log = ctx.scalars(select(ChangeLogEntry).where(ChangeLogEntry.action == "depreciation",
                                                   ChangeLogEntry.batch_id == postings[1].batch_id)).all()
    assert [(e.entity_id, e.changes) for e in log] == [(line.id, {"depreciation": ["0.00", "1666.67"]})]


def test_last_month_takes_the_remainder_and_never_exceeds_value(ctx):
    # 100 000,01 over 3 months: 33 333,34 + 33 333,34 + 33 333,33.
    asset = _asset(ctx, "100000.01", commissioned_on=date(2026, 1, 10), useful_life_months=3)
    ctx.commit()
    for month in (2, 3, 4, 5):
        post_month(ctx, date(2026, month, 1))
        ctx.commit()
    ctx.expire_all()
    assert asset.depreciation == D("100000.01") and asset.residual_value == 0


def test_opening_balance_is_capped_at_book_value(ctx):
    asset = _asset(ctx, "120000.00", commissioned_on=date(2026, 1, 10), useful_life_months=12)
    asset.depreciation = D("119990.00")  # an imported opening balance
    ctx.commit()
    post_month(ctx, date(2026, 2, 1))
    ctx.commit()
    ctx.expire_all()
    assert asset.depreciation == D("120000.00")


def test_parse_month():
    assert parse_month("2026-11") == date(2026, 11, 1)
    assert parse_month("11.2026") == date(2026, 11, 1)
    with pytest.raises(ValueError):
        parse_month("November")


def test_cli_posts_once(app):
    with app.app_context():
        _asset(db.session, "50000.00", commissioned_on=date(2026, 11, 2))
        db.session.commit()
        db.session.remove()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["depreciation", "--month", "2026-11"])
    assert first.exit_code == 0, first.output
    assert "1 assets" in first.output
    again = runner.invoke(args=["depreciation", "--month", "2026-11"])
    assert again.exit_code != 0 and "уже начислена" in again.output
    with app.app_context():
        assert db.session.scalar(select(Asset.depreciation)) == D("50000.00")
        db.session.remove()
