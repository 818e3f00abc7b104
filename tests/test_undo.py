"""Undo of a change-log batch: bulk edits, ORM creates/updates/deletes, and refusal when records changed since."""

import pytest
from sqlalchemy import select

from models import Asset, ChangeLogEntry, Employee
from models.changelog import begin_batch
from services import bulk_edit
from services.undo import UndoRefused, undo_batch
from tests import factories as f


def _bulk(session, ids, changes):
    p = bulk_edit.preview(session, Asset, ids, changes)
    return bulk_edit.apply(session, Asset, p.versions, p.changes)


def test_undo_reverts_a_bulk_edit_and_logs_its_own_batch(ctx):
    anna, boris = f.employee(ctx), f.employee(ctx)
    a1, a2 = f.asset(ctx, responsible=anna, notes="x"), f.asset(ctx, responsible=boris)
    ctx.commit()
    done = _bulk(ctx, [a1.id, a2.id], {"responsible_id": boris.id, "notes": "инвентаризация",
                                        "useful_life_months": 60})

    undone = undo_batch(ctx, done.batch_id)

    assert undone.records == 2 and undone.batch_id != done.batch_id
    rows = {r.id: r for r in ctx.scalars(select(Asset))}
    assert (rows[a1.id].responsible_id, rows[a1.id].notes, rows[a1.id].useful_life_months) == (anna.id, "x", 36)
    assert (rows[a2.id].responsible_id, rows[a2.id].notes) == (boris.id, None)
    assert rows[a1.id].version == 3
    log = ctx.scalars(select(ChangeLogEntry).where(ChangeLogEntry.batch_id == undone.batch_id)).all()
    assert {e.action for e in log} == {"undo"} and len(log) == 2
    assert log[0].comment == f"undo {done.batch_id}"


def test_undo_refused_when_a_record_changed_since(ctx):
    assets = [f.asset(ctx) for _ in range(3)]
    ctx.commit()
    done = _bulk(ctx, [a.id for a in assets], {"notes": "A"})
    begin_batch(ctx, username="other")
    ctx.get(Asset, assets[1].id).name = "Другое имя"
    ctx.commit()

    with pytest.raises(UndoRefused) as refused:
        undo_batch(ctx, done.batch_id)

    assert [(c.entity, c.entity_id) for c in refused.value.conflicts] == [("asset", assets[1].id)]
    assert set(ctx.scalars(select(Asset.notes))) == {"A"}  # nothing reverted


def test_undo_refused_when_values_changed_without_log(ctx):
    a = f.asset(ctx)
    ctx.commit()
    done = _bulk(ctx, [a.id], {"notes": "A"})
    ctx.execute(Asset.__table__.update().values(notes="B"))  # an unaudited write
    ctx.commit()
    with pytest.raises(UndoRefused):
        undo_batch(ctx, done.batch_id)


def test_undo_of_orm_batch_deletes_creates_and_restores_deletes(ctx):
    doomed = f.employee(ctx, full_name="Удаляемый")
    ctx.commit()
    doomed_id = doomed.id
    batch = begin_batch(ctx, username="clerk").batch_id
    new = Employee(full_name="Новый сотрудник", personnel_number="N-1")
    ctx.add(new)
    ctx.delete(doomed)
    ctx.commit()
    new_id = new.id

    undo_batch(ctx, batch)

    assert ctx.get(Employee, new_id) is None
    back = ctx.get(Employee, doomed_id)
    assert back is not None and back.full_name == "Удаляемый"


def test_undo_twice_is_refused(ctx):
    a = f.asset(ctx)
    ctx.commit()
    done = _bulk(ctx, [a.id], {"notes": "A"})
    undo_batch(ctx, done.batch_id)
    with pytest.raises(UndoRefused):
        undo_batch(ctx, done.batch_id)
    with pytest.raises(UndoRefused):
        undo_batch(ctx, "no-such-batch")
