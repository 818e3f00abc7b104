"""Transport requests, waybills and fuel norms: what the dispatcher and the accountant see."""
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from flask_babel import force_locale

from models import RequestStatus, Vehicle, VehicleStatus, Waybill, WaybillStatus
from models.rules import Refused
from services import bulk_edit, fleet as fl
from tests.fleet_setup import driver, fit_vehicle, fleet, norm_card



@pytest.fixture(autouse=True)
def english(ctx):
    """Service messages are read in English here (msgids); the browser tests read the Russian panel."""
    with force_locale("en"):
        yield

def messages(exc) -> str:
    return " | ".join(exc.messages())


def test_norm_with_winter_and_urban_surcharges_matches_the_hand_computation(ctx):
    f = fleet(ctx)
    norm_card(ctx, f.vehicle)
    # By hand: Hs = 8,7 l/100 km, S = 250 km, D = 10 % (winter) + 25 % (city of 1–5 million) = 35 %:
    # Qн = 0,01 × 8,7 × 250 × (1 + 0,01 × 35) = 21,75 × 1,35 = 29,3625 → 29,36 l.
    winter = fl.norm_on(ctx, f.vehicle, date(2026, 2, 10))
    assert winter.base == Decimal("8.70") and winter.percent == Decimal("35")
    assert winter.litres(250) == Decimal("29.36")
    # In June only the urban surcharge is in force: 21,75 × 1,25 = 27,1875 → 27,19 l.
    summer = fl.norm_on(ctx, f.vehicle, date(2026, 6, 10))
    assert summer.percent == Decimal("25") and summer.litres(250) == Decimal("27.19")


def test_a_closed_waybill_shows_norm_actual_and_difference(ctx):
    f = fleet(ctx)
    norm_card(ctx, f.vehicle)
    w = fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 2, 10), fuel_out=Decimal("30"))
    assert (w.odometer_out, w.fuel_out, w.number) == (10000, Decimal("30.00"), 1)
    fl.close_waybill(ctx, w, f.clerk, odometer_in=10250, fuel_in=Decimal("5.00"), fuel_received=Decimal("5"),
                     return_at=datetime(2026, 2, 10, 18, 0))
    assert w.status == WaybillStatus.approved
    assert (w.mileage, w.norm_l, w.actual_l) == (250, Decimal("29.36"), Decimal("30.00"))
    assert w.difference_l == Decimal("0.64")
    assert ctx.get(Vehicle, f.vehicle.id).odometer_km == 10250


def test_continuity_the_next_waybill_starts_where_the_last_ended(ctx):
    f = fleet(ctx)
    first = fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 3, 2), fuel_out=Decimal("40"))
    with pytest.raises(Refused) as two_open:
        fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 3, 3))
    assert "already has an open waybill 1/2026" in messages(two_open.value)
    fl.close_waybill(ctx, first, f.clerk, odometer_in=10120, fuel_in=Decimal("28.50"),
                     return_at=datetime(2026, 3, 2, 17))
    second = fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 3, 3))
    assert (second.odometer_out, second.fuel_out) == (10120, Decimal("28.50"))
    fl.cancel_waybill(ctx, second, f.clerk)
    with pytest.raises(Refused) as jump:
        fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 3, 4), odometer_out=10000,
                         fuel_out=Decimal("60"))
    text = messages(jump.value)
    assert "where waybill 1/2026 ended: 10120 km" in text
    assert "more than the tank holds (50 l)" in text
    third = fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 3, 4))
    with pytest.raises(Refused) as back:
        fl.close_waybill(ctx, third, f.clerk, odometer_in=10100, fuel_in=Decimal("20"))
    assert "the odometer never goes back: 10100 km at return is less than 10120 km" in messages(back.value)


def test_booking_refuses_double_bookings_and_vehicles_or_drivers_not_fit(ctx):
    f = fleet(ctx)
    requester = driver(ctx, is_driver=False)
    day = date(2026, 3, 10)
    first = fl.request_trip(ctx, requester.id, day, time(9), time(12), "Офис — Минфин", "Документы")
    fl.assign(ctx, first, f.vehicle.id, f.driver.id)
    assert first.status == RequestStatus.assigned
    second = fl.request_trip(ctx, requester.id, day, time(11), time(13), "Офис — Казначейство", "Отчёт")
    with pytest.raises(Refused) as clash:
        fl.assign(ctx, second, f.vehicle.id, driver(ctx).id)
    assert f"The vehicle is already booked on 10.03.2026 09:00–12:00 (request {first.number})" in messages(clash.value)
    with pytest.raises(Refused) as busy_driver:
        fl.assign(ctx, second, fit_vehicle(ctx).id, f.driver.id)
    assert "The driver is already booked" in messages(busy_driver.value)
    worn = fit_vehicle(ctx, osago_expires_on=date(2026, 3, 1), diagnostic_expires_on=None,
                       status=VehicleStatus.under_repair)
    expired = driver(ctx, licence_expires_on=date(2026, 3, 9))
    with pytest.raises(Refused) as unfit:
        fl.assign(ctx, second, worn.id, expired.id)
    text = messages(unfit.value)
    assert "is not in service" in text and "no ОСАГО policy valid on 10.03.2026" in text
    assert "no diagnostic card valid on 10.03.2026" in text
    assert "licence of" in text and "is not valid on 10.03.2026" in text


def test_bulk_edit_of_requests_runs_the_booking_rules(ctx):
    f = fleet(ctx)
    requester = driver(ctx, is_driver=False)
    day = date(2026, 3, 11)
    booked = fl.request_trip(ctx, requester.id, day, time(9), time(12), "А — Б", "Поездка")
    fl.assign(ctx, booked, f.vehicle.id, f.driver.id)
    other = fl.request_trip(ctx, requester.id, day, time(10), time(11), "В — Г", "Поездка")
    fl.assign(ctx, other, fit_vehicle(ctx).id, driver(ctx).id)
    preview = bulk_edit.preview(ctx, type(other), [other.id], {"vehicle_id": f.vehicle.id})
    assert preview.changing == 0
    assert "already booked on 11.03.2026 09:00–12:00" in preview.refusals[0].reason


def test_waybill_trips_come_from_the_assigned_requests(ctx):
    f = fleet(ctx)
    requester = driver(ctx, is_driver=False, full_name="Петрова Анна Сергеевна")
    r = fl.request_trip(ctx, requester.id, date(2026, 3, 12), time(9), time(11), "Офис — Суд", "Иск")
    fl.assign(ctx, r, f.vehicle.id, f.driver.id)
    w = fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 3, 12))
    assert [(t.customer, t.route) for t in w.trips] == [("Петрова Анна Сергеевна", "Офис — Суд")]
    fl.close_waybill(ctx, w, f.clerk, odometer_in=10030, fuel_in=Decimal("0"))
    assert r.status == RequestStatus.done


def test_a_closed_waybill_is_final_and_an_accountant_cannot_issue(ctx):
    from tests.fleet_setup import user
    from models import Role

    f = fleet(ctx)
    w = fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 3, 2), fuel_out=Decimal("10"))
    fl.close_waybill(ctx, w, f.clerk, odometer_in=10010, fuel_in=Decimal("9"))
    with pytest.raises(Refused) as final:
        bulk_edit.check_changes(Waybill, {"valid_to": date(2026, 3, 5)}) and None
        from models.rules import enforce, values_of
        enforce(Waybill, values_of(w), {**values_of(w), "valid_to": date(2026, 3, 5)}, session=ctx)
    assert "is closed and can no longer be changed" in messages(final.value)
    with pytest.raises(Refused) as role:
        fl.issue_waybill(ctx, user(ctx, Role.accountant, "acc"), f.vehicle.id, f.driver.id, date(2026, 3, 3))
    assert "Only a dispatcher" in messages(role.value)
