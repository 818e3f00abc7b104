"""Write-off acts: eligibility refusals, draft, approval and cancellation all or nothing, disposal,
the act's workbook and its PDF page, and the panel's refusals."""
import io
import os
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from models import (Asset, AssetStatus, ChangeLogEntry, FuelCardStatus, Role, User, WriteOffAct, WriteOffForm,
                    WriteOffLine, WriteOffReason, WriteOffStatus, db)
from services import write_off as wo
from tests import factories as f

D = Decimal


def _commission(session):
    chair = f.employee(session, full_name="Смирнов Олег Петрович", position="Заместитель начальника")
    members = [f.employee(session, full_name="Кузнецова Мария Ивановна"),
               f.employee(session, full_name="Попов Андрей Викторович")]
    return chair, members


def _request(chair, members, form=WriteOffForm.f0504104, **kw):
    return wo.DraftRequest(act_date=kw.pop("act_date", date(2026, 11, 20)), form=form,
                           reason=WriteOffReason.wear, chair_id=chair.id, member_ids=[m.id for m in members], **kw)


def _user(session, role):
    from services.accounts import create_user
    return create_user(session, f"u-{role.value}", "pw", role, full_name=f"{role.value} Имя Фамилия")


def test_eligibility_refusals(ctx):
    ok = f.asset(ctx)
    gone = f.asset(ctx, status=AssetStatus.written_off)
    car_asset = f.asset(ctx, name="Автомобиль")
    f.vehicle(ctx, asset=car_asset)
    carded_asset = f.asset(ctx, name="Автобус")
    carded = f.vehicle(ctx, asset=carded_asset)
    f.fuel_card(ctx, vehicle=carded, status=FuelCardStatus.active)
    second_car = f.asset(ctx, name="Грузовик")
    f.vehicle(ctx, asset=second_car)
    chair, members = _commission(ctx)
    pending = f.asset(ctx)
    act, _ = wo.create_draft(ctx, [pending.id], _request(chair, members))

    result = {e.asset_id: e for e in wo.eligibility(
        ctx, [ok.id, gone.id, car_asset.id, carded_asset.id, pending.id], WriteOffForm.f0504104)}
    assert result[ok.id].ok
    assert str(result[gone.id].reason) == "уже списан"
    assert "0504105" in str(result[car_asset.id].reason)
    assert "топливной картой" in str(result[carded_asset.id].reason)
    assert str(act) in str(result[pending.id].reason)

    vehicles = {e.asset_id: e for e in wo.eligibility(ctx, [car_asset.id, second_car.id, ok.id],
                                                      WriteOffForm.f0504105)}
    assert vehicles[car_asset.id].ok
    assert "одно транспортное средство" in str(vehicles[second_car.id].reason)
    assert "только для транспортных средств" in str(vehicles[ok.id].reason)


def test_draft_snapshots_lines_and_locks_assets(ctx):
    straight = f.asset(ctx, book_value=D("120000.00"), commissioned_on=date(2026, 1, 10), useful_life_months=12,
                       status=AssetStatus.under_repair)
    full = f.asset(ctx, book_value=D("55000.00"))
    gone = f.asset(ctx, status=AssetStatus.written_off)
    chair, members = _commission(ctx)
    act, checked = wo.create_draft(ctx, [straight.id, full.id, gone.id], _request(
        chair, members, condition="Не работает", line_conclusion="Списать",
        per_line={full.id: wo.LineText(condition="Разбит корпус")}))
    assert [e.ok for e in checked] == [True, True, False]
    assert (act.number, act.year, act.status) == (1, 2026, WriteOffStatus.draft)
    lines = {l.asset_id: l for l in ctx.scalars(select(WriteOffLine).where(WriteOffLine.act_id == act.id))}
    assert set(lines) == {straight.id, full.id}
    # 10 months (February…November) of 10 000,00.
    assert (lines[straight.id].depreciation, lines[straight.id].residual_value) == (D("100000.00"), D("20000.00"))
    assert lines[straight.id].previous_status == AssetStatus.under_repair
    assert (lines[full.id].depreciation, lines[full.id].condition, lines[full.id].conclusion) == \
        (D("55000.00"), "Разбит корпус", "Списать")
    ctx.expire_all()
    assert straight.status == full.status == AssetStatus.pending_write_off
    assert gone.status == AssetStatus.written_off
    second, _ = wo.create_draft(ctx, [f.asset(ctx).id], _request(chair, members))
    assert second.number == 2


def test_commission_needs_chair_and_two_members(ctx):
    asset = f.asset(ctx)
    chair, members = _commission(ctx)
    with pytest.raises(wo.WriteOffError):
        wo.create_draft(ctx, [asset.id], _request(chair, members[:1]))
    with pytest.raises(wo.WriteOffError):
        wo.create_draft(ctx, [asset.id], _request(chair, [members[0], chair]))


def test_approve_writes_off_and_completes_depreciation(ctx):
    a = f.asset(ctx, book_value=D("120000.00"), depreciation=D("30000.00"), commissioned_on=None)
    b = f.asset(ctx, book_value=D("55000.00"))
    chair, members = _commission(ctx)
    act, _ = wo.create_draft(ctx, [a.id, b.id], _request(chair, members))
    with pytest.raises(wo.WriteOffError):
        wo.approve(ctx, act, _user(ctx, Role.clerk))
    head = _user(ctx, Role.head)
    assert wo.approve(ctx, act, head) == 2
    ctx.expire_all()
    assert act.status == WriteOffStatus.approved and act.approved_by_id == head.id
    for asset in (a, b):
        assert asset.status == AssetStatus.written_off
        assert asset.written_off_on == date(2026, 11, 20) and asset.write_off_act_id == act.id
        assert asset.depreciation == asset.book_value
    log = ctx.scalars(select(ChangeLogEntry).where(ChangeLogEntry.action == "write_off",
                                                   ChangeLogEntry.entity_id == a.id)).one()
    assert log.changes["depreciation"] == ["30000.00", "120000.00"]
    with pytest.raises(wo.WriteOffError):
        wo.approve(ctx, act, head)  # approved acts are final
    with pytest.raises(wo.WriteOffError):
        wo.cancel(ctx, act)


def test_approve_failing_half_way_changes_nothing(ctx, monkeypatch):
    assets = [f.asset(ctx) for _ in range(3)]
    chair, members = _commission(ctx)
    act, _ = wo.create_draft(ctx, [a.id for a in assets], _request(chair, members))
    head = _user(ctx, Role.head)
    ctx.commit()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(wo, "record_changes", boom)  # after the UPDATE, before the act is marked
    with pytest.raises(RuntimeError):
        wo.approve(ctx, act, head)
    ctx.rollback()
    ctx.expire_all()
    assert act.status == WriteOffStatus.draft
    assert {a.status for a in assets} == {AssetStatus.pending_write_off}
    assert {a.written_off_on for a in assets} == {None}


def test_cancel_restores_previous_status_and_fails_atomically(ctx, monkeypatch):
    a = f.asset(ctx, status=AssetStatus.in_storage)
    b = f.asset(ctx, status=AssetStatus.under_repair)
    chair, members = _commission(ctx)
    act, _ = wo.create_draft(ctx, [a.id, b.id], _request(chair, members))
    ctx.commit()

    real = wo.record_changes
    monkeypatch.setattr(wo, "record_changes", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        wo.cancel(ctx, act)
    ctx.rollback()
    ctx.expire_all()
    assert (a.status, b.status, act.status) == (AssetStatus.pending_write_off,) * 2 + (WriteOffStatus.draft,)

    monkeypatch.setattr(wo, "record_changes", real)
    assert wo.cancel(ctx, act) == 2
    ctx.commit()
    ctx.expire_all()
    assert (a.status, b.status, act.status) == (AssetStatus.in_storage, AssetStatus.under_repair,
                                                WriteOffStatus.cancelled)
    # Back in the pool: a new act may take them.
    assert all(e.ok for e in wo.eligibility(ctx, [a.id, b.id], WriteOffForm.f0504104))


def test_mark_disposed_all_or_nothing(ctx):
    a = f.asset(ctx, status=AssetStatus.written_off, written_off_on=date(2026, 11, 1))
    b = f.asset(ctx, status=AssetStatus.in_use)
    with pytest.raises(wo.WriteOffError) as refused:
        wo.mark_disposed(ctx, [a.id, b.id], date(2026, 11, 25), "Акт утилизации № 7")
    assert any(b.inventory_number in d for d in refused.value.details)
    with pytest.raises(wo.WriteOffError):
        wo.mark_disposed(ctx, [a.id], date(2026, 10, 25), "Акт утилизации № 7")
    ctx.expire_all()
    assert a.status == AssetStatus.written_off
    assert wo.mark_disposed(ctx, [a.id], date(2026, 11, 25), "Акт утилизации № 7") == 1
    ctx.expire_all()
    assert (a.status, a.disposed_on, a.disposal_document) == (AssetStatus.disposed, date(2026, 11, 25),
                                                              "Акт утилизации № 7")
