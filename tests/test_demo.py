"""seed-demo: a realistic, valid and consistent demo office that is only ever put into an empty database."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from models import (Asset, AssetCategory, AssetStatus, Base, Building, Contract, ContractStatus, Department,
                    Employee, FuelCard, FuelCardStatus, Role, Room, Supplier, User, Vehicle)
from models.checks import (check_account, check_bik, check_cadastral_number, check_fuel_card_number, check_ikz,
                           check_inn, check_kpp, check_ogrn, check_okof, check_plate, check_vin)
from services.demo import DemoRefused, seed_demo
from services.depreciation_rules import Band, accumulated_at, band

ASSETS = 300


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def all_counts(session):
    return {table.name: session.scalar(select(func.count()).select_from(table)) for table in Base.metadata.sorted_tables}


@pytest.fixture
def seeded(ctx):
    summary = seed_demo(ctx, assets=ASSETS)
    return ctx, summary


def test_counts(seeded):
    session, summary = seeded
    assert 8 <= count(session, Department) <= 12
    assert 50 <= count(session, Employee) <= 70
    assert 20 <= count(session, Supplier) <= 30
    assert 40 <= count(session, Contract) <= 60
    assert count(session, Building) == 3
    assert 30 <= count(session, Room) <= 50
    assert count(session, Vehicle) == 20
    assert count(session, FuelCard) == 30
    assert count(session, Asset) == ASSETS
    assert f"Assets: {ASSETS}" in "\n".join(summary)
    assert any(line.startswith("Vehicles: 20") for line in summary)


def test_staff(seeded):
    session, _ = seeded
    employees = session.scalars(select(Employee)).all()
    assert all(len(e.full_name.split()) == 3 for e in employees)
    assert len({e.full_name for e in employees}) == len(employees)
    numbers = [e.personnel_number for e in employees]
    assert len(set(numbers)) == len(numbers)
    assert all(len(n) == 6 and n.isdigit() for n in numbers)
    assert any(n.startswith("000") for n in numbers)
    assert 8 <= sum(e.is_responsible for e in employees) <= 20
    drivers = [e for e in employees if e.is_driver]
    assert 12 <= len(drivers) <= 18
    assert all(d.licence_number and d.licence_expires_on for d in drivers)
    rooms = session.scalars(select(Room)).all()
    assert all(r.responsible is not None and r.responsible.is_responsible for r in rooms)


def test_identifiers_are_valid(seeded):
    session, _ = seeded
    suppliers = session.scalars(select(Supplier)).all()
    for s in suppliers:
        assert check_inn(s.inn) == s.inn
        assert check_ogrn(s.ogrn) == s.ogrn
        assert check_bik(s.bik) == s.bik
        assert check_account(s.settlement_account, s.bik) == s.settlement_account
        if len(s.inn) == 10:
            assert check_kpp(s.kpp) == s.kpp and len(s.ogrn) == 13
        else:  # ИП: 12-digit ИНН, ОГРНИП, no КПП
            assert s.kpp is None and len(s.ogrn) == 15
    assert any(len(s.inn) == 12 for s in suppliers)
    assert len({(s.inn, s.kpp) for s in suppliers}) == len(suppliers)

    for v in session.scalars(select(Vehicle)):
        assert check_plate(v.plate) == v.plate
        if v.vin is not None:
            assert check_vin(v.vin) == v.vin
    assert session.scalar(select(func.count()).select_from(Vehicle).where(Vehicle.vin.is_(None))) >= 1
    for card in session.scalars(select(FuelCard)):
        assert check_fuel_card_number(card.number) == card.number and len(card.number) == 16
    for c in session.scalars(select(Contract)):
        assert check_ikz(c.ikz) == c.ikz
    for category in session.scalars(select(AssetCategory)):
        assert check_okof(category.okof_code) == category.okof_code
    for b in session.scalars(select(Building)):
        assert check_cadastral_number(b.cadastral_number) == b.cadastral_number


def test_assets_are_consistent(seeded):
    session, _ = seeded
    today = date.today()
    assets = session.scalars(select(Asset)).all()
    numbers = [a.inventory_number for a in assets]
    assert len(set(numbers)) == len(numbers)
    bands = set()
    for a in assets:
        assert a.depreciation <= a.book_value
        assert isinstance(a.book_value, Decimal) and a.book_value == a.book_value.quantize(Decimal("0.01"))
        expected = accumulated_at(a.book_value, a.commissioned_on, a.useful_life_months, a.written_off_on or today)
        assert a.depreciation == expected, a.inventory_number
        assert a.balance_account == a.category.balance_account
        assert a.status is not AssetStatus.pending_write_off
        assert (a.status is AssetStatus.written_off) == (a.written_off_on is not None)
        assert a.responsible_id and a.department_id
        if a.contract is not None:
            assert a.supplier_id == a.contract.supplier_id
            assert a.accepted_on >= a.contract.signed_on
        bands.add(band(a.book_value))
    assert bands == set(Band)
    statuses = {a.status for a in assets}
    assert {AssetStatus.in_use, AssetStatus.in_storage, AssetStatus.written_off} <= statuses
    assert sum(a.status is AssetStatus.in_use for a in assets) > len(assets) * 0.7

    vehicles = session.scalars(select(Vehicle)).all()
    assert len({v.asset_id for v in vehicles}) == len(vehicles)
    assert all(v.asset.category.okof_code.startswith("310.29") for v in vehicles)


def test_some_deadlines_fall_within_30_days(seeded):
    session, _ = seeded
    today = date.today()
    soon = today + timedelta(days=30)

    def due(model, column, *conditions):
        col = getattr(model, column)
        query = select(func.count()).select_from(model).where(col >= today, col <= soon, *conditions)
        return session.scalar(query)

    assert due(Vehicle, "osago_expires_on") >= 1
    assert due(Vehicle, "diagnostic_expires_on") >= 1
    assert due(Contract, "ends_on", Contract.status == ContractStatus.active) >= 1
    assert due(FuelCard, "valid_until", FuelCard.status == FuelCardStatus.active) >= 1
    assert due(Employee, "licence_expires_on", Employee.is_driver.is_(True)) >= 1
    # ...but most are not: the dashboard is not a wall of red.
    assert due(Contract, "ends_on", Contract.status == ContractStatus.active) < count(session, Contract) / 4
    # Active contracts have not run out already.
    assert not session.scalar(select(func.count()).select_from(Contract)
                              .where(Contract.status == ContractStatus.active, Contract.ends_on < today))


def test_one_user_per_role_with_demo_passwords(seeded):
    session, summary = seeded
    users = session.scalars(select(User)).all()
    assert sorted(u.username for u in users) == sorted(r.value for r in Role)
    text = "\n".join(summary)
    for user in users:
        assert user.role is Role(user.username)
        assert check_password_hash(user.password_hash, f"demo-{user.username}")
        assert user.full_name != user.username
        assert f"{user.username} / demo-{user.username}" in text


def test_second_call_is_refused_and_adds_nothing(seeded):
    session, _ = seeded
    before = all_counts(session)
    with pytest.raises(DemoRefused, match=rf"already has data .*{ASSETS} assets"):
        seed_demo(session, assets=10)
    assert all_counts(session) == before


def test_refuses_when_any_table_has_a_row(ctx):
    ctx.add(Department(name="Отдел", code="X"))
    ctx.flush()
    with pytest.raises(DemoRefused, match=r"\(1 department\); seed-demo only fills an empty database"):
        seed_demo(ctx, assets=10)
    assert count(ctx, Employee) == 0 and count(ctx, Department) == 1


def test_same_seed_same_office(ctx):
    def fingerprint():
        assets = ctx.execute(select(Asset.inventory_number, Asset.name, Asset.book_value).order_by(Asset.id)).all()
        inns = ctx.scalars(select(Supplier.inn).order_by(Supplier.id)).all()
        plates = ctx.scalars(select(Vehicle.plate).order_by(Vehicle.id)).all()
        return assets, inns, plates

    seed_demo(ctx, assets=50, seed=7)
    first = fingerprint()
    ctx.rollback()
    assert count(ctx, Asset) == 0
    seed_demo(ctx, assets=50, seed=7)
    assert fingerprint() == first
    ctx.rollback()
    seed_demo(ctx, assets=50, seed=8)
    assert fingerprint() != first


def test_cli_seeds_then_skips_a_filled_database(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "clerk / demo-clerk" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "seed-demo skipped: The database already has data" in second.output



def test_a_month_on_the_line_with_each_reconciliation_problem_planted(seeded):
    from models import FuelTransaction, Waybill, WaybillStatus
    from services import fuel_month

    session, summary = seeded
    last = date.today().replace(day=1) - timedelta(days=1)
    assert session.query(Waybill).filter(Waybill.status == WaybillStatus.approved).count() > 50
    assert session.query(FuelTransaction).count() > 20
    assert any(line.startswith("Fleet: ") for line in summary)
    kinds = {p.kind for p in fuel_month.reconcile(session, last.year, last.month)}
    assert {"no_waybill", "wrong_product", "over_tank", "over_limit", "over_norm", "foreign_card"} <= kinds
