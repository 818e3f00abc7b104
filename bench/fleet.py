"""Benchmark: a year of a 100-vehicle fleet — 100 vehicles × 22 waybills a month × 12 months (26 400 closed
waybills, continuous odometer and fuel) — and a year's card statement of 50 000 transactions.

Measures, through the services the panel calls: the statement import (read the csv, check every row, skip
nothing already imported, match each transaction to its card's vehicle and the waybill open then, insert,
change log), its re-import (adds nothing), the reconciliation of one month, and the month close (totals
per vehicle, department and fuel type, the write-off act drafted). Runs on a scratch SQLite file, or on
PostgreSQL when DATABASE_URL says so (in a database of its own that it creates and drops). The last line:
``RESULT db=… vehicles=… waybills=… transactions=… statement_import_s=… reconcile_s=… month_close_s=…``.

    nice python bench/fleet.py [--vehicles 100] [--transactions 50000]
"""
import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from models import (Base, Department, Employee, FleetSettings, FuelCard, FuelNorm, FuelSurcharge,  # noqa: E402
                    FuelTransaction, FuelType, Role, Supplier, SurchargeKind, Vehicle, VehicleStatus, Waybill,
                    WaybillStatus, db, utcnow)
from models.changelog import begin_batch  # noqa: E402
from services import fuel_month as fm  # noqa: E402
from services.accounts import create_user  # noqa: E402
from services.fleet import normative  # noqa: E402
from services.fuel_statement import import_statement  # noqa: E402
from tests.scratch import scratch_database  # noqa: E402

YEAR = 2025
LETTERS = "АВЕКМНОРСТУХ"
PRICE = Decimal("56.40")


def working_days(year: int, month: int, count: int = 22) -> list[date]:
    day, found = date(year, month, 1), []
    while day.month == month:
        if day.weekday() < 5:
            found.append(day)
        day += timedelta(days=1)
    while len(found) < count:  # a short month borrows Saturdays
        found.append(found[-1] + timedelta(days=1))
    return sorted(found)[:count]


def seed(session, vehicles: int, rng: random.Random):
    """Reference data through the ORM; the year's waybills set-based (the bench measures what follows)."""
    session.add(FleetSettings(region="г. Москва", winter_from="11-01", winter_to="03-31",
                              overrun_tolerance_pct=Decimal("5")))
    department = Department(name="Транспортный отдел", code="02.1")
    provider = Supplier(full_name="ООО «Топливная компания»", short_name="Топливная компания", inn="7707083893",
                        kpp="770701001")
    session.add_all([department, provider])
    session.flush()
    cars, cards = [], []
    for i in range(vehicles):
        driver = Employee(full_name=f"Водитель {i:03d}", position="Водитель", is_driver=True, department=department,
                          licence_number=f"77 00 {i:06d}", licence_expires_on=date(2030, 1, 1))
        car = Vehicle(plate=f"{LETTERS[i % 12]}{i + 1:03d}{LETTERS[(i // 12) % 12]}{LETTERS[(i // 144) % 12]}77",
                      make="LADA", model="Vesta", fuel_type=FuelType.ai92, tank_capacity=55, fuel_norm=Decimal("8.90"),
                      odometer_km=10000, status=VehicleStatus.in_service, osago_expires_on=date(2026, 12, 31),
                      diagnostic_expires_on=date(2026, 12, 31), driver=driver)
        card = FuelCard(number=f"{7826010000000000 + i}", provider=provider, vehicle=car, fuel_type=FuelType.ai92,
                        monthly_limit_l=600)
        norm = FuelNorm(vehicle=car, valid_from=date(YEAR, 1, 1), base_norm=Decimal("8.90"), order_number="1-од",
                        order_date=date(YEAR - 1, 12, 25))
        norm.surcharges = [FuelSurcharge(kind=SurchargeKind.winter, percent=Decimal("10"), valid_from=date(YEAR, 1, 1),
                                         order_number="1-од", order_date=date(YEAR - 1, 12, 25)),
                           FuelSurcharge(kind=SurchargeKind.urban, percent=Decimal("35"), valid_from=date(YEAR, 1, 1),
                                         order_number="1-од", order_date=date(YEAR - 1, 12, 25))]
        session.add_all([driver, car, card, norm])
        cars.append(car)
        cards.append(card)
    user = create_user(session, "bench-clerk", "pw", Role.clerk, full_name="Диспетчер")
    head = create_user(session, "bench-head", "pw", Role.head, full_name="Начальник")
    session.flush()

    now = utcnow()
    rows, slots = [], []  # slots: (card, departure, return) of each waybill, for the statement
    number = 0
    for car, card in zip(cars, cards):
        odometer, fuel = 10000, Decimal("30.00")
        for month in range(1, 13):
            winter = month in (1, 2, 3, 11, 12)
            for day in working_days(YEAR, month):
                number += 1
                km = rng.randint(40, 120)
                norm = normative(Decimal("8.90"), km, Decimal("45") if winter else Decimal("35"))
                actual = (norm * Decimal(rng.uniform(0.92, 1.04))).quantize(Decimal("0.01"))
                received = Decimal(0)
                if fuel - actual < 15:
                    received = Decimal(55) - fuel
                fuel_in = fuel + received - actual
                departure, back = datetime.combine(day, clock(8)), datetime.combine(day, clock(18))
                rows.append({"year": YEAR, "number": number, "status": WaybillStatus.approved, "valid_from": day,
                             "valid_to": day, "vehicle_id": car.id, "driver_id": car.driver_id,
                             "fuel_card_id": card.id, "departure_at": departure, "return_at": back,
                             "odometer_out": odometer, "odometer_in": odometer + km, "fuel_out": fuel,
                             "fuel_received": received, "fuel_in": fuel_in, "base_norm": Decimal("8.90"),
                             "surcharge_pct": Decimal("45") if winter else Decimal("35"), "norm_l": norm,
                             "actual_l": actual, "licence_number": f"77 00 {car.id:06d}",
                             "communication": "urban", "transport_kind": "own_needs", "created_by_id": user.id,
                             "approved_by_id": user.id, "approved_at": now, "created_at": now, "updated_at": now,
                             "version": 1})
                slots.append((card.number, departure, back))
                odometer += km
                fuel = fuel_in
    for start in range(0, len(rows), 5000):
        session.execute(insert(Waybill), rows[start:start + 5000])
    session.commit()
    return user, head, provider, slots


def statement(slots, count: int, rng: random.Random) -> bytes:
    """A provider's csv: ``count`` transactions within the waybills' hours (a few outside any)."""
    lines = ["Дата и время;Номер карты;АЗС;Товар;Количество, л;Цена;Сумма"]
    for i in range(count):
        card, departure, back = slots[(i * 7919) % len(slots)]
        at = departure + timedelta(minutes=rng.randint(5, 595), seconds=i % 60)
        litres = Decimal(rng.randint(500, 3000)) / 100
        lines.append(f"{at:%d.%m.%Y %H:%M:%S};{card};АЗС № {i % 40};АИ-92;{litres};{PRICE};{litres * PRICE:.2f}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def server_cpu(session) -> float:
    """CPU seconds the PostgreSQL backend of this session has used (it runs on this machine): the work the
    database does is not the bench process's own; 0 on SQLite, which works inside the process."""
    if session.get_bind().dialect.name != "postgresql":
        return 0.0
    pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vehicles", type=int, default=100)
    parser.add_argument("--transactions", type=int, default=50000)
    args = parser.parse_args()
    rng = random.Random(17)
    uri, drop = scratch_database("bench")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench"})
    try:
        with app.test_request_context():
            Base.metadata.create_all(db.engine)
            session = db.session
            begin_batch(session, username="bench")
            started = time.perf_counter()
            user, head, provider, slots = seed(session, args.vehicles, rng)
            data = statement(slots, args.transactions, rng)
            waybills = session.scalar(select(func.count()).select_from(Waybill))
            print(f"seed:      {time.perf_counter() - started:.1f} s, {waybills} waybills, "
                  f"statement {len(data) / 1e6:.1f} MB")

            begin_batch(session, username="bench")
            started, cpu = time.perf_counter(), time.process_time() + server_cpu(session)
            result = import_statement(session, provider.id, data, "year.csv")
            session.commit()
            import_s, import_cpu = time.perf_counter() - started, time.process_time() + server_cpu(session) - cpu
            print(f"import:    {import_s:.3f} s, {result.added} added, {result.matched} on waybills")

            begin_batch(session, username="bench")
            started = time.perf_counter()
            again = import_statement(session, provider.id, data, "year.csv")
            session.commit()
            print(f"re-import: {time.perf_counter() - started:.3f} s, {again.added} added, {again.skipped} skipped")
            assert again.added == 0 and result.added == args.transactions

            started, cpu = time.perf_counter(), time.process_time() + server_cpu(session)
            problems = fm.reconcile(session, YEAR, 12)
            reconcile_s, reconcile_cpu = time.perf_counter() - started, time.process_time() + server_cpu(session) - cpu
            print(f"reconcile: {reconcile_s:.3f} s, {len(problems)} problems in 12.{YEAR}")

            begin_batch(session, username="bench")
            started, cpu = time.perf_counter(), time.process_time() + server_cpu(session)
            record = fm.close_month(session, YEAR, 12, user)
            session.commit()
            close_s, close_cpu = time.perf_counter() - started, time.process_time() + server_cpu(session) - cpu
            act = fm.act_of(session, record)
            print(f"close:     {close_s:.3f} s, act {act} with {len(act.lines)} lines")
            transactions = session.scalar(select(func.count()).select_from(FuelTransaction))
            dialect = db.engine.dialect.name
            session.remove()
        with app.app_context():
            db.engine.dispose()
    finally:
        drop()
    # Wall time is what a clerk waits; on a shared machine the CPU time (this process's and, on PostgreSQL,
    # its server backend's) says what the work costs.
    print(f"cpu: statement_import_s={import_cpu:.3f} reconcile_s={reconcile_cpu:.3f} month_close_s={close_cpu:.3f} "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"RESULT db={dialect} vehicles={args.vehicles} waybills={waybills} transactions={transactions} "
          f"statement_import_s={import_s:.3f} reconcile_s={reconcile_s:.3f} month_close_s={close_s:.3f}")


if __name__ == "__main__":
    main()
