"""Continuity and booking rules refuse on every write path with the same message: the import of a file,
bulk edit, the record's own edit form and the services."""
from datetime import date, time
from decimal import Decimal

import pytest
from flask_babel import force_locale

from models import RequestStatus, TransportRequest, Waybill
from services import bulk_edit, fleet as fl, importer
from tests.fleet_setup import driver, fit_vehicle, fleet
from tests.import_support import csv_bytes, errors_en


@pytest.fixture(autouse=True)
def english(ctx):
    with force_locale("en"):
        yield


def test_import_of_requests_refuses_a_double_booking(ctx):
    f = fleet(ctx)
    requester = driver(ctx, is_driver=False, full_name="Петрова Анна Сергеевна", personnel_number="900001")
    booked = fl.request_trip(ctx, requester.id, date(2026, 3, 10), time(9), time(12), "А — Б", "Поездка")
    fl.assign(ctx, booked, f.vehicle.id, f.driver.id)
    data = csv_bytes([("Номер заявки", "Заказчик поездки", "Дата поездки", "С", "По", "Маршрут", "Цель поездки",
                       "Транспортное средство", "Водитель", "Состояние заявки"),
                      ("З-77", "900001", "10.03.2026", "10:00", "11:00", "В — Г", "Документы", f.vehicle.plate,
                       f.driver.personnel_number, "Назначена")])
    preview = importer.dry_run(ctx, "transport_request", data, "requests.csv")
    errors = errors_en(preview)
    assert any("already booked on 10.03.2026 09:00–12:00" in message for _row, _column, message in errors), errors


def test_import_of_waybill_readings_refuses_an_odometer_going_back(ctx):
    f = fleet(ctx)
    w = fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 3, 2))
    data = csv_bytes([("Год", "Номер", "Одометр при возвращении, км", "Топливо при возвращении, л"),
                      ("2026", str(w.number), "9000", "0")])
    errors = errors_en(importer.dry_run(ctx, "waybill", data, "readings.csv"))
    assert any("the odometer never goes back: 9000 km at return is less than 10000 km" in m for _r, _c, m in errors), \
        errors
    new_one = csv_bytes([("Год", "Номер", "Одометр при возвращении, км"), ("2026", "99", "10100")])
    errors = errors_en(importer.dry_run(ctx, "waybill", new_one, "readings.csv"))
    assert any("A waybill is issued from the panel" in m for _r, _c, m in errors), errors


def test_bulk_edit_of_waybills_refuses_an_unlicensed_driver_and_a_closed_waybill(ctx):
    f = fleet(ctx)
    open_one = fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 3, 2))
    other = fit_vehicle(ctx)
    closed = fl.issue_waybill(ctx, f.clerk, other.id, driver(ctx).id, date(2026, 3, 2), fuel_out=Decimal("10"))
    fl.close_waybill(ctx, closed, f.clerk, odometer_in=10010, fuel_in=Decimal("9"))
    expired = driver(ctx, licence_expires_on=date(2026, 3, 1))
    preview = bulk_edit.preview(ctx, Waybill, [open_one.id, closed.id], {"driver_id": expired.id})
    reasons = sorted(r.reason for r in preview.refusals)
    assert preview.changing == 0
    assert "is not valid on 02.03.2026" in reasons[0] or "is not valid on 02.03.2026" in reasons[1]
    assert any("is closed and can no longer be changed" in r for r in reasons)


def test_a_cancelled_request_is_not_judged_as_a_booking(ctx):
    f = fleet(ctx)
    requester = driver(ctx, is_driver=False)
    first = fl.request_trip(ctx, requester.id, date(2026, 3, 10), time(9), time(12), "А — Б", "Поездка")
    fl.assign(ctx, first, f.vehicle.id, f.driver.id)
    fl.cancel_request(ctx, first)
    second = fl.request_trip(ctx, requester.id, date(2026, 3, 10), time(10), time(11), "В — Г", "Поездка")
    fl.assign(ctx, second, f.vehicle.id, f.driver.id)
    assert second.status == RequestStatus.assigned
    assert ctx.query(TransportRequest).filter_by(status=RequestStatus.assigned).count() == 1
