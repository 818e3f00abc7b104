"""Write-off acts: eligibility refusals, draft, approval and cancellation all or nothing, disposal,
the act's workbook and its PDF page, and the panel's refusals."""
import io
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from models import (
    Asset,
    AssetStatus,
    ChangeLogEntry,
    FuelCardStatus,
    Role,
    User,
    WriteOffAct,
    WriteOffForm,
    WriteOffLine,
    WriteOffReason,
    WriteOffStatus,
    db,
)
from services import write_off as wo
from tests import factories as f
from tests.libreoffice import convert_to_pdf

D = Decimal


def _commission(session):
    chair = f.employee(session, full_name="Смирнов Олег Петрович", position="Заместитель начальника")
    members = [f.employee(session, full_name="Кузнецова Мария Ивановна"),
               f.employee(session, full_name="Попов Андрей Викторович")]
    return chair, members


def _request(chair, members, form=WriteOffForm.f0504104, **kw):
    from sqlalchemy.orm import object_session
    session = object_session(chair)
    commission = f.commission(session, chair=chair, members=members)
    return wo.DraftRequest(act_date=kw.pop("act_date", date(2026, 11, 20)), form=form,
                           reason=WriteOffReason.wear, commission_id=commission.id, **kw)


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
    lines = {line.asset_id: line for line in ctx.scalars(select(WriteOffLine).where(WriteOffLine.act_id == act.id))}
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


# --- the act's workbook ----------------------------------------------------------------------

@pytest.fixture
def approved_act(app, users):
    """An approved 0504104 act of two assets, approved by the head."""
    with app.app_context():
        from models.changelog import begin_batch
        begin_batch(db.session, username="test")
        chair, members = _commission(db.session)
        person = f.employee(db.session, full_name="Петрова Анна Сергеевна")
        f.institution(db.session)
        a = f.asset(db.session, name="Ноутбук Lenovo", book_value=D("120000.00"), commissioned_on=date(2026, 1, 10),
                    useful_life_months=12, accepted_on=date(2026, 1, 9), year_made=2025, responsible=person)
        b = f.asset(db.session, name="Принтер HP", book_value=D("55000.00"), responsible=person)
        act, _ = wo.create_draft(db.session, [a.id, b.id], _request(
            chair, members, evidence_number="ДВ-12", evidence_date=date(2026, 11, 18),
            conclusion="Восстановление нецелесообразно", condition="Не включается"))
        wo.approve(db.session, act, db.session.get(User, users[Role.head]))
        db.session.commit()
        ids = {"act": act.id, "a": a.id, "b": b.id}
        db.session.remove()
    return ids


def _workbook(client, act_id):
    response = client.get(f"/admin/writeoffact/download/?id={act_id}")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return response.data


def _cells(ws):
    return {c.value for row in ws.iter_rows() for c in row if c.value is not None}


def test_act_workbook_cells(client_as, approved_act):
    data = _workbook(client_as(Role.accountant), approved_act["act"])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    values = _cells(ws)
    assert "УТВЕРЖДАЮ" in values
    # The head of the institution with their position, not the user who pressed «Approve».
    assert {"Сидоров Пётр Ильич", "Директор"} <= values and "Head User" not in values
    assert "АКТ № 1" in values and "от «20» ноября 2026 г." in values
    assert {"Форма по ОКУД", "0504104"} <= values
    assert "Петрова Анна Сергеевна" in values and "ГКУ «Хозяйственное управление»" in values
    assert any(isinstance(v, str) and "ДВ-12" in v and "ноября 2026" in v for v in values)
    # The table: find the line of the laptop.
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(r for r in rows if r[1] == "Наименование объекта" and r[0] == "№ п/п")
    laptop = next(r for r in rows if r[1] == "Ноутбук Lenovo")
    line = dict(zip(header, laptop))
    assert line["Инвентарный номер"].startswith("ИН-") and line["Номер счета"] == "101.34"
    assert line["Год выпуска"] == 2025
    assert line["Дата принятия к учёту"].date() == date(2026, 1, 9)
    assert (line["СПИ, мес."], line["Фактический срок эксплуатации, мес."]) == (12, 10)
    assert (line["Балансовая стоимость, ₽"], line["Начисленная амортизация, ₽"],
            line["Остаточная стоимость, ₽"]) == (120000, 100000, 20000)
    assert line["Состояние объекта"] == "Не включается"
    total = next(r for r in rows if r[0] == "Итого")
    assert total[header.index("Балансовая стоимость, ₽")].startswith("=SUM(")
    assert "Восстановление нецелесообразно" in values
    assert "Физический износ" in values
    for name in ("Смирнов Олег Петрович", "Кузнецова Мария Ивановна", "Попов Андрей Викторович"):
        assert name in values
    # Printing: A4 landscape, one page wide, header rows repeated.
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1 is the default
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows and ws.print_area


def test_vehicle_act_has_plate_vin_mileage(ctx):
    car = f.asset(ctx, name="LADA Granta")
    f.vehicle(ctx, asset=car, plate="А123ВС77", vin="XTA21900051234567", odometer_km=187000)
    chair, members = _commission(ctx)
    act, _ = wo.create_draft(ctx, [car.id], _request(chair, members, form=WriteOffForm.f0504105))
    from reports.workbook import Formats, open_workbook
    from reports.write_off_act import write_act
    buffer = io.BytesIO()
    workbook = open_workbook(buffer)
    write_act(workbook, Formats(workbook), act, wo.act_lines(ctx, act), institution=f.institution(ctx))
    workbook.close()
    values = _cells(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active)
    assert {"А123ВС77", "XTA21900051234567", 187000, "0504105", "ГКУ «Хозяйственное управление»"} <= values
    assert any(isinstance(v, str) and "транспортного средства" in v for v in values)


def test_act_pdf_is_a4_landscape(client_as, approved_act, tmp_path):
    source = tmp_path / "act.xlsx"
    source.write_bytes(_workbook(client_as(Role.head), approved_act["act"]))
    (path,) = convert_to_pdf([source], tmp_path)
    pdf = path.read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes
    for width, height in boxes:
        assert abs(float(width) - 842) < 2 and abs(float(height) - 595) < 2


# --- the panel -------------------------------------------------------------------------------

def _draft_data(session_ids, **kw):
    data = {"ids": ",".join(map(str, session_ids["assets"])), "act_date": "2026-11-20", "form": "0504104",
            "reason": "wear", "commission": str(session_ids["commission"]), "condition": "Изношен", "create": "1"}
    data.update(kw)
    return data


@pytest.fixture
def chosen(app):
    with app.app_context():
        from models.changelog import begin_batch
        begin_batch(db.session, username="test")
        chair, members = _commission(db.session)
        commission = f.commission(db.session, chair=chair, members=members)
        short = f.commission(db.session, chair=chair, members=members[:1], order_number="16-од")
        assets = [f.asset(db.session), f.asset(db.session), f.asset(db.session, status=AssetStatus.written_off)]
        db.session.commit()
        ids = {"commission": commission.id, "short": short.id, "assets": [a.id for a in assets]}
        db.session.remove()
    return ids


def test_panel_draft_approve_and_lock(client_as, chosen, app):
    clerk = client_as(Role.clerk)
    page = clerk.get("/admin/asset/write-off/?ids=" + ",".join(map(str, chosen["assets"]))).get_data(as_text=True)
    assert "уже списан" in page and "можно списать: 2" in page
    response = clerk.post("/admin/asset/write-off/", data=_draft_data(chosen))
    assert response.status_code == 302 and "/admin/writeoffact/details/" in response.location
    with app.app_context():
        act = db.session.scalars(select(WriteOffAct)).one()
        act_id = act.id
        assert len(act.lines) == 2 and {line.condition for line in act.lines} == {"Изношен"}
    first = chosen["assets"][0]

    # Locked: no edit through the form or inline edit, and no status set by hand.
    edit = clerk.get(f"/admin/asset/edit/?id={first}")
    assert edit.status_code == 302 and "details" in edit.location
    denied = clerk.post(f"/admin/asset/edit/?id={first}", data={"name": "Другое"})
    assert denied.status_code == 302
    inline = clerk.post("/admin/asset/ajax/update/", data={"list_form_pk": first, "name": "Другое"})
    assert inline.status_code == 400 and "изменяется только через акт списания" in inline.get_data(as_text=True)

    # A clerk can't approve; the head can; nobody edits or deletes an act.
    assert clerk.post("/admin/writeoffact/approve/", data={"id": act_id}).status_code == 403
    head = client_as(Role.head)
    details = head.get(f"/admin/writeoffact/details/?id={act_id}").get_data(as_text=True)
    assert 'id="approve-act"' in details and 'id="cancel-act"' not in details
    assert head.post("/admin/writeoffact/approve/", data={"id": act_id}).status_code == 302
    for client in (clerk, head, client_as(Role.admin)):
        assert client.get(f"/admin/writeoffact/edit/?id={act_id}").status_code in (302, 403)
        client.post("/admin/writeoffact/delete/", data={"id": act_id})
        client.post("/admin/writeoffact/cancel/", data={"id": act_id})
    with app.app_context():
        act = db.session.get(WriteOffAct, act_id)
        assert act.status == WriteOffStatus.approved
        assert db.session.get(Asset, first).status == AssetStatus.written_off
    details = clerk.get(f"/admin/writeoffact/details/?id={act_id}").get_data(as_text=True)
    assert 'id="approve-act"' not in details and 'id="cancel-act"' not in details
    # Written-off assets stay searchable.
    with app.app_context():
        number = db.session.get(Asset, first).inventory_number
    assert number in clerk.get(f"/admin/asset/?search={number}").get_data(as_text=True)


def test_panel_refuses_short_commission_and_status_by_hand(clerk, chosen, app):
    page = clerk.post("/admin/asset/write-off/", data=_draft_data(chosen, commission=str(chosen["short"])))
    assert page.status_code == 200 and "не менее двух" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(WriteOffAct)).first() is None
        asset = db.session.get(Asset, chosen["assets"][0])
        data = {"inventory_number": asset.inventory_number, "name": asset.name, "category": asset.category_id,
                "book_value": "55000,00", "depreciation": "0", "status": "written_off"}
    response = clerk.post(f"/admin/asset/edit/?id={chosen['assets'][0]}", data=data, follow_redirects=True)
    assert "списания" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Asset, chosen["assets"][0]).status == AssetStatus.in_use


def test_panel_dispose(clerk, chosen, app):
    written_off = chosen["assets"][2]
    response = clerk.post("/admin/asset/dispose/", data={"ids": str(written_off), "disposed_on": "2026-11-25",
                                                         "document": "Акт № 5"})
    assert response.status_code == 302 and "batch=" in response.location
    with app.app_context():
        assert db.session.get(Asset, written_off).status == AssetStatus.disposed
    refused = clerk.post("/admin/asset/dispose/", data={"ids": str(chosen["assets"][0]),
                                                        "disposed_on": "2026-11-25", "document": "Акт № 5"})
    assert refused.status_code == 200
    with app.app_context():
        assert db.session.get(Asset, chosen["assets"][0]).status == AssetStatus.in_use


def test_accountant_cannot_write_off(client_as, chosen):
    accountant = client_as(Role.accountant)
    assert accountant.get("/admin/asset/write-off/?ids=1").status_code == 403
    assert accountant.get("/admin/writeoffact/").status_code == 200
