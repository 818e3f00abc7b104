"""Bulk edit: preview counts and refusals, set-based apply with its change log, atomicity, the views."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from models import Asset, AssetStatus, ChangeLogEntry, Contract, db
from services import bulk_edit
from services.bulk_edit import BulkEditError
from tests import factories as f


def _log(session, batch_id):
    return session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.batch_id == batch_id)
                           .order_by(ChangeLogEntry.entity_id)).all()


def test_preview_counts_old_to_new_and_writes_nothing(ctx):
    anna, boris, vera = (f.employee(ctx, full_name=n) for n in ("Анна", "Борис", "Вера"))
    assets = [f.asset(ctx, responsible=anna) for _ in range(3)] + [f.asset(ctx, responsible=boris)] + \
             [f.asset(ctx, responsible=vera)]
    ctx.commit()
    before = ctx.scalar(select(func.count()).select_from(ChangeLogEntry))

    p = bulk_edit.preview(ctx, Asset, [a.id for a in assets], {"responsible_id": vera.id, "notes": None})

    assert p.total == 5 and p.changing == 4 and p.unchanged == 1 and p.refusals == []
    assert p.counts["responsible_id"] == {(anna.id, vera.id): 3, (boris.id, vera.id): 1}
    assert p.counts["notes"] == {}
    assert ctx.scalar(select(func.count()).select_from(ChangeLogEntry)) == before


def test_preview_refuses_locked_assets_and_broken_checks(ctx):
    ok = f.asset(ctx, accepted_on=date(2024, 1, 10))
    gone = f.asset(ctx, status=AssetStatus.written_off)
    pending = f.asset(ctx, status=AssetStatus.pending_write_off)
    late = f.asset(ctx, accepted_on=date(2024, 6, 1))
    ctx.commit()

    p = bulk_edit.preview(ctx, Asset, [ok.id, gone.id, pending.id, late.id, 999999],
                          {"commissioned_on": date(2024, 2, 1)})

    assert list(p.versions) == [ok.id]
    reasons = {r.id: r.reason for r in p.refusals}
    assert set(reasons) == {gone.id, pending.id, late.id, 999999}
    assert "Списано" in reasons[gone.id]
    assert reasons[late.id] == "Дата ввода в эксплуатацию: не может быть раньше даты принятия к учёту"
    assert {r.record for r in p.refusals if r.id == gone.id} == {str(gone)}


def test_invalid_change_is_refused_as_a_whole(ctx):
    a = f.asset(ctx)
    ctx.commit()
    with pytest.raises(BulkEditError):
        bulk_edit.preview(ctx, Asset, [a.id], {"name": None})  # not nullable
    with pytest.raises(BulkEditError):
        bulk_edit.preview(ctx, Asset, [a.id], {"book_value": Decimal("1.00")})  # not bulk-editable
    with pytest.raises(BulkEditError):
        bulk_edit.preview(ctx, Asset, [a.id], {})
    # A write-off status is refused by the asset's rule set, record by record, as on every other path.
    p = bulk_edit.preview(ctx, Asset, [a.id], {"status": AssetStatus.written_off})
    assert [r.reason for r in p.refusals] == ["Статус: этот статус устанавливается только актом о списании"]


def test_contract_dates_out_of_order_refused(ctx):
    from datetime import date

    c = f.contract(ctx, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    ctx.commit()
    p = bulk_edit.preview(ctx, Contract, [c.id], {"starts_on": date(2027, 1, 1)})
    assert [r.id for r in p.refusals] == [c.id]


def test_apply_updates_set_based_with_one_logged_batch(ctx):
    room = f.room(ctx)
    assets = [f.asset(ctx) for _ in range(5)]
    ctx.commit()
    p = bulk_edit.preview(ctx, Asset, [a.id for a in assets], {"room_id": room.id, "status": AssetStatus.in_storage})

    result = bulk_edit.apply(ctx, Asset, p.versions, p.changes, chunk_size=2)

    assert result.changed == 5 and result.log_rows == 5 and result.refusals == []
    rows = ctx.execute(select(Asset.room_id, Asset.status, Asset.version)).all()
    assert {tuple(r) for r in rows} == {(room.id, AssetStatus.in_storage, 2)}
    log = _log(ctx, result.batch_id)
    assert [e.entity_id for e in log] == sorted(a.id for a in assets)
    assert log[0].action == "bulk_edit" and log[0].username == "test"
    assert log[0].changes == {"room_id": [None, room.id], "status": ["in_use", "in_storage"]}


def test_apply_refuses_records_changed_since_preview(ctx):
    a, b = f.asset(ctx), f.asset(ctx)
    ctx.commit()
    p = bulk_edit.preview(ctx, Asset, [a.id, b.id], {"notes": "после инвентаризации"})
    b.name = "Переименован"  # someone else's edit between preview and apply
    ctx.commit()

    result = bulk_edit.apply(ctx, Asset, p.versions, p.changes)

    assert result.changed == 1
    assert [(r.id, r.record) for r in result.refusals] == [(b.id, str(ctx.get(Asset, b.id)))]
    assert ctx.get(Asset, b.id).notes is None and ctx.get(Asset, a.id).notes == "после инвентаризации"


def test_failure_on_second_chunk_changes_nothing(ctx):
    assets = [f.asset(ctx, notes="было") for _ in range(6)]
    ctx.commit()
    p = bulk_edit.preview(ctx, Asset, [a.id for a in assets], {"notes": "стало"})
    log_before = ctx.scalar(select(func.count()).select_from(ChangeLogEntry))
    updates = []

    def fail_second_update(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE ASSET"):
            updates.append(statement)
            if len(updates) == 2:
                raise RuntimeError("disk full")

    engine = db.engine
    event.listen(engine, "before_cursor_execute", fail_second_update)
    try:
        with pytest.raises(RuntimeError):
            bulk_edit.apply(ctx, Asset, p.versions, p.changes, chunk_size=3)
    finally:
        event.remove(engine, "before_cursor_execute", fail_second_update)
    ctx.rollback()  # what the request does with an error (services never commit or roll back)

    assert len(updates) == 2
    assert set(ctx.scalars(select(Asset.notes))) == {"было"}
    assert set(ctx.scalars(select(Asset.version))) == {1}
    assert ctx.scalar(select(func.count()).select_from(ChangeLogEntry)) == log_before
