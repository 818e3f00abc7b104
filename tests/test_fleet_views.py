"""The fleet pages as a clerk, a head and a viewer use them: forms refuse with the rule's message, the board,
the statement upload with a column mapping, the month page, the act, and the home page's items."""
import io
from datetime import date, datetime, time
from decimal import Decimal

from models import (FuelTransaction, MonthStatus, Role, TransportRequest, User, Waybill, WaybillStatus, db)
from models.changelog import begin_batch
from services import fleet as fl, fuel_month as fm
from tests import factories
from tests.fleet_setup import fleet, norm_card


def _setup(app, users):
    with app.app_context():
        begin_batch(db.session, username="test")
        f = fleet(db.session)
        norm_card(db.session, f.vehicle)
        factories.institution(db.session)
        requester = factories.employee(db.session, full_name="Петрова Анна Сергеевна")
        clerk = db.session.get(User, users[Role.clerk])
        clerk.employee_id = requester.id
        db.session.commit()
        ids = {"vehicle": f.vehicle.id, "driver": f.driver.id, "requester": requester.id, "provider": f.provider.id,
               "card": f.card.number, "plate": f.vehicle.plate}
        db.session.remove()
    return ids


def text(response) -> str:
    return response.get_data(as_text=True)


def test_request_board_waybill_and_forms_refuse_with_the_rules_message(app, users, clerk):
    ids = _setup(app, users)
    asked = clerk.post("/admin/transportrequest/ask/", data={
        "requester": ids["requester"], "trip_date": "2026-03-02", "starts_at": "09:00", "ends_at": "12:00",
        "route": "Офис — Минфин", "purpose": "Документы"}, follow_redirects=True)
    assert "зарегистрирована" in text(asked)
    with app.app_context():
        request_id = db.session.scalar(db.select(TransportRequest.id))
    assigned = clerk.post(f"/admin/transportrequest/assign/?id={request_id}",
                          data={"vehicle": ids["vehicle"], "driver": ids["driver"]}, follow_redirects=True)
    assert "назначена" in text(assigned)
    # The create form runs the booking rule: the same vehicle at an overlapping time is refused.
    refused = clerk.post("/admin/transportrequest/new/", data={
        "requester": ids["requester"], "trip_date": "02.03.2026", "starts_at": "10:00:00", "ends_at": "11:00:00",
        "route": "Офис — Суд", "purpose": "Иск", "vehicle": ids["vehicle"], "driver": ids["driver"],
        "status": "assigned"}, follow_redirects=True)
    assert "уже занят 02.03.2026 09:00–12:00" in text(refused) or "уже занято 02.03.2026 09:00–12:00" in text(refused)
    board = clerk.get("/admin/transportrequest/board/?day=2026-03-02&span=week")
    assert "Офис — Минфин" in text(board) and ids["plate"] in text(board)
    issued = clerk.post("/admin/waybill/issue/", data={
        "vehicle": ids["vehicle"], "driver": ids["driver"], "valid_from": "2026-03-02", "valid_to": "2026-03-02",
        "departure_at": "2026-03-02T08:00", "tech_checker": 0, "communication": "urban",
        "transport_kind": "own_needs"}, follow_redirects=True)
    assert "выдан" in text(issued)
    with app.app_context():
        waybill_id = db.session.scalar(db.select(Waybill.id))
    back = clerk.post(f"/admin/waybill/close/?id={waybill_id}", data={"odometer_in": "9000", "fuel_in": "0"},
                      follow_redirects=True)
    assert "одометр не идёт назад" in text(back)
    closed = clerk.post(f"/admin/waybill/close/?id={waybill_id}", data={
        "odometer_in": "10250", "fuel_in": "0", "return_at": "2026-03-02T17:00"}, follow_redirects=True)
    assert "закрыт" in text(closed)
    printed = clerk.get(f"/admin/waybill/print/?id={waybill_id}")
    assert printed.status_code == 200 and printed.data[:2] == b"PK"
    with app.app_context():
        assert db.session.get(Waybill, waybill_id).status == WaybillStatus.approved


def test_statement_upload_with_mapping_month_close_and_act(app, users, clerk, client_as):
    ids = _setup(app, users)
    with app.app_context():
        begin_batch(db.session, username="test")
        user = db.session.get(User, users[Role.clerk])
        w = fl.issue_waybill(db.session, user, ids["vehicle"], ids["driver"], date(2026, 3, 2),
                             fuel_out=Decimal("30"), departure_at=datetime(2026, 3, 2, 8))
        db.session.commit()
        waybill_id = w.id
        db.session.remove()
    odd = (f"Когда;PAN;Номенклатура;Отпущено;Итого\n02.03.2026 12:00;{ids['card']};АИ-92;20;1100\n"
           f"04.03.2026 12:00;{ids['card']};ДТ;10;600\n").encode()
    first = clerk.post("/admin/fueltransaction/statement/", data={
        "provider": ids["provider"], "file": (io.BytesIO(odd), "выписка.csv")}, content_type="multipart/form-data")
    page = text(first)
    assert "нет столбца" in page and 'name="map:pan"' in page
    mapped = clerk.post("/admin/fueltransaction/statement/", data={
        "provider": ids["provider"], "data": __import__("base64").b64encode(odd).decode(), "filename": "выписка.csv",
        "map:когда": "occurred_at", "map:pan": "card", "map:номенклатура": "product", "map:отпущено": "litres",
        "map:итого": "amount", "save_as": "Выписка поставщика"}, follow_redirects=True)
    assert "добавлено операций: 2" in text(mapped)
    with app.app_context():
        assert db.session.query(FuelTransaction).filter_by(waybill_id=waybill_id).count() == 1
    clerk.post(f"/admin/waybill/close/?id={waybill_id}", data={
        "odometer_in": "10100", "fuel_in": "38.25", "return_at": "2026-03-02T17:00"})
    month = clerk.get("/admin/fuelmonth/reconcile/?month=2026-03")
    assert "Топливо куплено без открытого путевого листа" in text(month)
    assert "«ДТ»" in text(month)
    closing = clerk.post("/admin/fuelmonth/close/", data={"month": "2026-03"}, follow_redirects=True)
    assert "закрыт" in text(closing)
    with app.app_context():
        record = fm.month_of(db.session, 2026, 3)
        assert record.status == MonthStatus.closed
        act_id = fm.act_of(db.session, record).id
    refused = clerk.post("/admin/fuelwriteoff/approve/", data={"id": act_id})
    assert refused.status_code == 403
    head = client_as(Role.head)
    approved = head.post("/admin/fuelwriteoff/approve/", data={"id": act_id}, follow_redirects=True)
    assert "утверждён" in text(approved)
    printed = head.get(f"/admin/fuelwriteoff/print/?id={act_id}")
    assert printed.status_code == 200 and printed.data[:2] == b"PK"
    reopen = clerk.post("/admin/fuelmonth/reopen/", data={"month": "2026-03", "reason": "ошибка"})
    assert reopen.status_code == 403


def test_home_page_lists_unclosed_waybills_and_reconciliation_problems(app, users, clerk):
    ids = _setup(app, users)
    with app.app_context():
        begin_batch(db.session, username="test")
        user = db.session.get(User, users[Role.clerk])
        fl.issue_waybill(db.session, user, ids["vehicle"], ids["driver"], date.today().replace(day=1))
        db.session.commit()
        db.session.remove()
    home = text(clerk.get("/admin/"))
    assert "Путевые листы, не закрытые после смены" in home
    assert "Проблемы сверки топлива в этом месяце" in home


def test_a_viewer_asks_for_a_trip_for_themselves_only(app, users, client_as):
    ids = _setup(app, users)
    with app.app_context():
        viewer = db.session.get(User, users[Role.viewer])
        viewer.employee_id = ids["requester"]
        db.session.commit()
        db.session.remove()
    client = client_as(Role.viewer)
    page = text(client.get("/admin/transportrequest/ask/"))
    assert "Петрова Анна Сергеевна" in page and page.count("<option") == 1
    assert client.get("/admin/waybill/issue/").status_code == 403
    _ = time


def test_the_waybill_edit_form_refuses_with_the_rule_message(app, users, clerk):
    with app.app_context():
        begin_batch(db.session, username="test")
        f = fleet(db.session)
        user = db.session.get(User, users[Role.clerk])
        w = fl.issue_waybill(db.session, user, f.vehicle.id, f.driver.id, date(2026, 3, 2), fuel_out=Decimal("20"))
        db.session.commit()
        waybill_id, version, driver_id = w.id, w.version, f.driver.id
        db.session.remove()
    response = clerk.post(f"/admin/waybill/edit/?id={waybill_id}", data={
        "driver": driver_id, "valid_to": "02.03.2026", "communication": "urban", "transport_kind": "own_needs",
        "odometer_in": "9500", "fuel_in": "60", "version": version}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "одометр не идёт назад: при возвращении 9500 км" in page
    tank = clerk.post(f"/admin/waybill/edit/?id={waybill_id}", data={
        "driver": driver_id, "valid_to": "02.03.2026", "communication": "urban", "transport_kind": "own_needs",
        "odometer_in": "10100", "fuel_in": "60", "version": version}, follow_redirects=True)
    assert "при возвращении топлива (60 л) больше, чем при выезде вместе с полученным (20.00 л)" in \
        tank.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Waybill, waybill_id).odometer_in is None
