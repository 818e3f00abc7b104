"""A small fleet for the fleet tests: a vehicle fit for the line, a licensed driver, a fuel card of a provider,
a norm card with winter and urban surcharges, and users who dispatch, approve and reopen."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models import (FleetSettings, FuelNorm, FuelSurcharge, FuelType, Role, SurchargeKind, User, Vehicle,
                    VehicleStatus)
from tests import factories


@dataclass
class Fleet:
    vehicle: Vehicle
    driver: object
    card: object
    provider: object
    clerk: User
    head: User


def user(session, role: Role, name: str) -> User:
    found = User(username=name, full_name=name.title(), password_hash="x", role=role)
    session.add(found)
    session.flush()
    return found


def fit_vehicle(session, **kw) -> Vehicle:
    values = {"tank_capacity": 50, "fuel_norm": Decimal("8.00"), "odometer_km": 10000,
              "osago_expires_on": date(2027, 6, 30), "diagnostic_expires_on": date(2027, 6, 30),
              "status": VehicleStatus.in_service, "fuel_type": FuelType.ai92, **kw}
    return factories.vehicle(session, **values)


def driver(session, **kw):
    return factories.employee(session, **{"is_driver": True, "licence_number": "77 12 345678",
                                          "licence_expires_on": date(2030, 1, 1),
                                          "licence_issued_on": date(2020, 1, 1), **kw})


def norm_card(session, vehicle, base="8.70"):
    """Hs 8,7 l/100 km from 01.01.2026; winter +10 % and urban (1–5 million people) +25 % by order № 5-од."""
    card = FuelNorm(vehicle=vehicle, valid_from=date(2026, 1, 1), base_norm=Decimal(base), order_number="5-од",
                    order_date=date(2025, 12, 25))
    card.surcharges = [
        FuelSurcharge(kind=SurchargeKind.winter, percent=Decimal("10"), valid_from=date(2026, 1, 1),
                      order_number="5-од", order_date=date(2025, 12, 25)),
        FuelSurcharge(kind=SurchargeKind.urban, percent=Decimal("25"), valid_from=date(2026, 1, 1),
                      order_number="5-од", order_date=date(2025, 12, 25)),
    ]
    session.add(card)
    session.flush()
    return card


def fleet(session) -> Fleet:
    session.add(FleetSettings(region="г. Москва", winter_from="11-01", winter_to="03-31",
                              overrun_tolerance_pct=Decimal("5")))
    vehicle = fit_vehicle(session)
    provider = factories.supplier(session, short_name="Топливная компания")
    card = factories.fuel_card(session, provider=provider, vehicle=vehicle, monthly_limit_l=300)
    session.flush()
    return Fleet(vehicle, driver(session), card, provider, user(session, Role.clerk, "dispatcher"),
                 user(session, Role.head, "chief"))
