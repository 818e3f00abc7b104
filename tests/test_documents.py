"""The document engine: institution settings, numbering without gaps, approval a clerk cannot undo,
reversing documents, and the write-off rules of the forms (one property kind, account group and МОЛ
per act; 0504143 only for soft and household inventory; a written-off vehicle leaves service)."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import (Asset, AssetStatus, ChangeLogEntry, Institution, PropertyKind, Reversal, ReversalStatus, Role,
                    VehicleStatus, WriteOffAct, WriteOffForm, WriteOffReason, WriteOffStatus, db)
from models.changelog import begin_batch
from services import documents
from services import write_off as wo
from services.dashboard import deadlines, vehicles_to_deregister
from tests import factories as f

D = Decimal


def _request(commission, form=WriteOffForm.f0504104, day=date(2026, 11, 20)):
    return wo.DraftRequest(act_date=day, form=form, reason=WriteOffReason.wear, commission_id=commission.id)


def test_institution_settings_are_edited_by_an_admin_and_logged(client_as, app):
    data = {"full_name": "ГКУ «Хозяйственное управление»", "okpo": "12345678", "inn": "7707083893",
            "kpp": "773601001", "oktmo": "45382000", "registry_code": "00112233", "founder_code": "901",
            "form_family": "61n", "head_position": "Директор"}
    assert client_as(Role.clerk).post("/admin/institution/new/", data=data).status_code == 403
    admin = client_as(Role.admin)
    bad = admin.post("/admin/institution/new/", data={**data, "inn": "7707083890"})
    assert bad.status_code == 200 and "ИНН" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Institution.id)) is None  # refused: a wrong checksum
    response = admin.post("/admin/institution/new/", data=data)
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalars(select(Institution)).one()
        assert (row.inn, row.form_family.value) == ("7707083893", "61n")
        assert db.session.scalar(select(ChangeLogEntry.id).where(ChangeLogEntry.entity == "institution"))
        row_id = row.id
    # One row: the list opens it; no second one is offered.
    assert admin.get("/admin/institution/").location.endswith(f"/admin/institution/details/?id={row_id}")
    assert admin.post("/admin/institution/new/", data=data).status_code == 403


def test_numbers_follow_per_kind_and_year_without_gaps(ctx):
    commission = f.commission(ctx)
    first, _ = wo.create_draft(ctx, [f.asset(ctx).id], _request(commission))
    wo.cancel(ctx, first)  # a cancelled draft keeps its number
    second, _ = wo.create_draft(ctx, [f.asset(ctx).id], _request(commission))
    next_year, _ = wo.create_draft(ctx, [f.asset(ctx).id], _request(commission, day=date(2027, 1, 10)))
    assert (first.number, second.number, next_year.number) == (1, 2, 1)
    assert (first.status, first.cancelled_at is not None) == (WriteOffStatus.cancelled, True)
    assert documents.next_number(ctx, "transfer", 2026) == 1  # another kind, another series


def test_act_refuses_mixed_property_kinds_accounts_and_responsible_people(ctx):
    commission = f.commission(ctx)
    anna, oleg = f.employee(ctx, full_name="Петрова Анна"), f.employee(ctx, full_name="Сидоров Олег")
    server_kind = f.category(ctx, balance_account="101.24", property_kind=PropertyKind.especially_valuable)
    pc = f.asset(ctx, responsible=anna)
    server = f.asset(ctx, category=server_kind, responsible=anna)
    with pytest.raises(wo.WriteOffError) as kinds:
        wo.create_draft(ctx, [pc.id, server.id], _request(commission))
    assert "одного вида имущества" in str(kinds.value.message) or "один вид имущества" in str(kinds.value.message)
    assert any(server.inventory_number in d for d in kinds.value.details)

    off_balance = f.asset(ctx, responsible=anna, balance_account="21", book_value=D("4000.00"))
    with pytest.raises(wo.WriteOffError) as groups:
        wo.create_draft(ctx, [pc.id, off_balance.id], _request(commission))
    assert "забалансовые объекты — отдельно" in str(groups.value.message)

    other = f.asset(ctx, responsible=oleg)
    with pytest.raises(wo.WriteOffError) as people:
        wo.create_draft(ctx, [pc.id, other.id], _request(commission))
    assert "Петрова Анна" in str(people.value.message) and "Сидоров Олег" in str(people.value.message)
    ctx.expire_all()
    assert {pc.status, server.status, other.status} == {AssetStatus.in_use}  # nothing half-written

    act, _ = wo.create_draft(ctx, [pc.id], _request(commission))
    assert (act.responsible_id, act.property_kind, act.account_group) == (anna.id, PropertyKind.other_movable, "101")


def test_soft_inventory_act_takes_only_soft_and_household_inventory(ctx):
    furniture = f.category(ctx, balance_account="101.36")
    server = f.asset(ctx, category=f.category(ctx, balance_account="101.24",
                                               property_kind=PropertyKind.especially_valuable))
    desk = f.asset(ctx, category=furniture)
    checked = {e.asset_id: e for e in wo.eligibility(ctx, [server.id, desk.id], WriteOffForm.f0504143)}
    assert checked[desk.id].ok
    assert "мягкий и хозяйственный инвентарь" in str(checked[server.id].reason)


def test_an_approved_vehicle_act_takes_the_vehicle_out_of_service(ctx):
    commission = f.commission(ctx)
    car = f.asset(ctx, name="LADA Granta")
    vehicle = f.vehicle(ctx, asset=car, status=VehicleStatus.under_repair,
                        osago_expires_on=date.today() + timedelta(days=5),
                        diagnostic_expires_on=date.today() + timedelta(days=5))
    before = {d.key: d.count for d in deadlines(ctx, date.today())}
    act, _ = wo.create_draft(ctx, [car.id], _request(commission, form=WriteOffForm.f0504105))
    from services.accounts import create_user
    wo.approve(ctx, act, create_user(ctx, "head-v", "pw", Role.head, full_name="Начальник"))
    ctx.expire_all()
    assert vehicle.status == VehicleStatus.decommissioned
    after = {d.key: d.count for d in deadlines(ctx, date.today())}
    assert (after["osago"], after["diagnostic"]) == (before["osago"] - 1, before["diagnostic"] - 1)
    assert vehicles_to_deregister(ctx) == 1
    vehicle.deregistered_on = date.today()
    ctx.flush()
    assert vehicles_to_deregister(ctx) == 0


@pytest.fixture
def approved(app, users):
    """A write-off act approved by the head through the panel, and the batch that approval wrote."""
    with app.app_context():
        begin_batch(db.session, username="test")
        person = f.employee(db.session, full_name="Петрова Анна Сергеевна")
        assets = [f.asset(db.session, responsible=person, status=AssetStatus.in_storage,
                          depreciation=D("1000.00")) for _ in range(2)]
        act, _ = wo.create_draft(db.session, [a.id for a in assets], _request(f.commission(db.session)))
        db.session.commit()
        ids = {"act": act.id, "assets": [a.id for a in assets]}
        db.session.remove()
    return ids


def test_a_clerk_cannot_undo_an_approval_and_the_act_is_reversed_instead(client_as, approved, app):
    head, clerk = client_as(Role.head), client_as(Role.clerk)
    assert head.post("/admin/writeoffact/approve/", data={"id": approved["act"]}).status_code == 302
    with app.app_context():
        batch = db.session.scalar(select(ChangeLogEntry.batch_id).where(ChangeLogEntry.action == "write_off"))
    page = clerk.post("/admin/undo/", data={"batch": batch}, follow_redirects=True).get_data(as_text=True)
    assert "Утверждение окончательно" in page and "сторнирующим документом" in page
    with app.app_context():
        assert db.session.get(WriteOffAct, approved["act"]).status == WriteOffStatus.approved
        assert {db.session.get(Asset, i).status for i in approved["assets"]} == {AssetStatus.written_off}

    # The correction: a reversing document with a reason, approved by whoever approves acts.
    details = clerk.get(f"/admin/writeoffact/details/?id={approved['act']}").get_data(as_text=True)
    assert 'id="reverse-document"' in details
    assert clerk.post("/admin/writeoffact/reverse/", data={"id": approved["act"], "reason": ""}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Reversal.id)) is None  # no reason, no reversal
    response = clerk.post("/admin/writeoffact/reverse/", data={"id": approved["act"],
                                                               "reason": "Объекты списаны ошибочно"})
    assert "/admin/reversal/details/" in response.location
    with app.app_context():
        reversal = db.session.scalars(select(Reversal)).one()
        reversal_id = reversal.id
        assert (reversal.status, reversal.target_kind, reversal.reason) == (
            ReversalStatus.draft, "write_off", "Объекты списаны ошибочно")
    page = clerk.get(f"/admin/reversal/details/?id={reversal_id}").get_data(as_text=True)
    assert 'id="approve-reversal"' not in page  # a clerk does not approve the reversal of an act
    clerk.post("/admin/reversal/approve/", data={"id": reversal_id})
    with app.app_context():
        assert db.session.get(Reversal, reversal_id).status == ReversalStatus.draft
    assert 'id="approve-reversal"' in head.get(f"/admin/reversal/details/?id={reversal_id}").get_data(as_text=True)
    assert head.post("/admin/reversal/approve/", data={"id": reversal_id}).status_code == 302
    with app.app_context():
        reversal = db.session.get(Reversal, reversal_id)
        assert reversal.status == ReversalStatus.approved and reversal.approved_by.role == Role.head
        for asset_id in approved["assets"]:
            asset = db.session.get(Asset, asset_id)
            assert (asset.status, asset.written_off_on, asset.depreciation) == (AssetStatus.in_storage, None,
                                                                               D("1000.00"))
        # The act itself stays as approved, and says it was reversed.
        assert db.session.get(WriteOffAct, approved["act"]).status == WriteOffStatus.approved
        reverse_batch = db.session.scalar(select(ChangeLogEntry.batch_id).where(ChangeLogEntry.action == "reverse"))
    assert "reversal-note" in clerk.get(f"/admin/writeoffact/details/?id={approved['act']}").get_data(as_text=True)
    # The reversal's approval is final too.
    page = clerk.post("/admin/undo/", data={"batch": reverse_batch}).get_data(as_text=True)
    assert "Утверждение окончательно" in page


def test_costs_and_materials_are_entered_on_the_draft(client_as, approved, app):
    with app.app_context():
        act = db.session.get(WriteOffAct, approved["act"])
        act_id = act.id
        db.session.remove()
    clerk = client_as(Role.clerk)
    clerk.post("/admin/writeoffact/extras/", data={"id": act_id, "what": "cost", "name": "Вывоз",
                                                    "amount": "1 500,00", "document": "Акт № 7"})
    clerk.post("/admin/writeoffact/extras/", data={"id": act_id, "what": "material", "name": "Лом",
                                                    "quantity": "0,4", "amount": "120", "unit": "кг"})
    bad = clerk.post("/admin/writeoffact/extras/", data={"id": act_id, "what": "material", "name": "Лом",
                                                          "quantity": "много", "amount": "1"}, follow_redirects=True)
    assert "Проверьте числа" in bad.get_data(as_text=True)
    with app.app_context():
        act = db.session.get(WriteOffAct, act_id)
        assert [(c.name, c.amount) for c in act.costs] == [("Вывоз", D("1500.00"))]
        assert [(m.name, m.quantity, m.unit) for m in act.materials] == [("Лом", D("0.400"), "кг")]
    assert client_as(Role.accountant).post("/admin/writeoffact/extras/", data={
        "id": act_id, "what": "cost", "name": "x", "amount": "1"}).status_code == 403


def test_inventory_card_is_offered_on_the_asset_and_on_each_line_of_its_act(client_as, approved):
    viewer = client_as(Role.viewer)
    asset_id = approved["assets"][0]
    assert 'id="inventory-card"' in viewer.get(f"/admin/asset/details/?id={asset_id}").get_data(as_text=True)
    act = viewer.get(f"/admin/writeoffact/details/?id={approved['act']}").get_data(as_text=True)
    assert f"/admin/asset/card/?id={asset_id}" in act
    card = viewer.get(f"/admin/asset/card/?id={asset_id}")
    assert card.status_code == 200 and card.mimetype.endswith("spreadsheetml.sheet")
    assert viewer.get("/admin/asset/card/?id=999999").status_code == 404
