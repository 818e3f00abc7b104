"""Fuel-card statements, the reconciliation list, the month close with its act, and reopening."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale

from models import (ChangeLogEntry, FuelTransaction, FuelType, FuelWriteOffStatus, MonthStatus, Role, Waybill)
from models.rules import Refused
from services import documents, fleet as fl, fuel_month as fm, import_mappings
from services.fuel_statement import import_statement, mapping_entity
from tests import factories
from tests.fleet_setup import fit_vehicle, fleet, norm_card, user

HEADER = "Дата и время;Номер карты;АЗС;Товар;Количество, л;Цена;Сумма\n"



@pytest.fixture(autouse=True)
def english(ctx):
    """Service messages are read in English here (msgids); the browser tests read the Russian panel."""
    with force_locale("en"):
        yield

def statement(*lines) -> bytes:
    return (HEADER + "".join(";".join(str(v) for v in line) + "\n" for line in lines)).encode("utf-8")


def line(card, when, litres, product="АИ-92", price="55,00"):
    amount = (Decimal(litres.replace(",", ".")) * Decimal(price.replace(",", "."))).quantize(Decimal("0.01"))
    return (when, card.number, "АЗС № 12, ул. Ленина, 1", product, litres, price, str(amount).replace(".", ","))


def month_with_problems(ctx):
    """March 2026: two closed waybills of the fleet's vehicle and a statement with one of each problem."""
    f = fleet(ctx)
    norm_card(ctx, f.vehicle)
    other = fit_vehicle(ctx, plate="В456ОР77")
    w1 = fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 3, 2), fuel_out=Decimal("30"),
                          departure_at=datetime(2026, 3, 2, 8))
    # 100 km within the norm (11,75 l): 30 + 15 − 33,5 = 11,5 l used.
    fl.close_waybill(ctx, w1, f.clerk, odometer_in=10100, fuel_in=Decimal("33.50"), fuel_received=Decimal("15"),
                     return_at=datetime(2026, 3, 2, 18))
    w2 = fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 3, 3),
                          departure_at=datetime(2026, 3, 3, 8))
    # Another vehicle's waybill carries the fleet's card: a card used by a vehicle it is not assigned to.
    w3 = fl.issue_waybill(ctx, f.clerk, other.id, factories.employee(
        ctx, is_driver=True, licence_number="77 00 111111", licence_expires_on=date(2030, 1, 1)).id,
        date(2026, 3, 3), fuel_out=Decimal("10"), departure_at=datetime(2026, 3, 3, 8), fuel_card_id=f.card.id)
    data = statement(
        line(f.card, "02.03.2026 12:10", "15,00"),             # on w1, as its receipts say
        line(f.card, "03.03.2026 09:00", "45,00"),             # on w3 (other vehicle): over the free tank of w3
        line(f.card, "05.03.2026 07:00", "20,00"),             # no waybill open
        line(f.card, "02.03.2026 13:00", "5,00", "ДТ Евро"),   # wrong product, also on w1
        line(f.card, "04.03.2026 10:00", "230,00"),            # no waybill; pushes the card past 300 l
    )
    return f, (w1, w2, w3), data


def test_statement_import_matches_waybills_and_a_second_import_adds_nothing(ctx):
    f, (w1, _w2, w3), data = month_with_problems(ctx)
    result = import_statement(ctx, f.provider.id, data, "march.csv")
    assert (result.added, result.matched, result.unmatched, result.skipped) == (5, 3, 2, 0)
    on_w1 = ctx.query(FuelTransaction).filter_by(waybill_id=w1.id).order_by(FuelTransaction.occurred_at).all()
    assert [(t.litres, t.fuel_type) for t in on_w1] == [(Decimal("15.00"), FuelType.ai92),
                                                        (Decimal("5.00"), FuelType.diesel)]
    assert ctx.query(FuelTransaction).filter_by(waybill_id=w3.id).one().vehicle_id == w3.vehicle_id
    assert ctx.query(ChangeLogEntry).filter_by(entity="fuel_transaction", action="import").count() == 5
    again = import_statement(ctx, f.provider.id, data, "march.csv")
    assert (again.added, again.skipped) == (0, 5)
    assert ctx.query(FuelTransaction).count() == 5


def test_reconciliation_lists_each_planted_problem(ctx):
    f, (w1, w2, w3), data = month_with_problems(ctx)
    import_statement(ctx, f.provider.id, data, "march.csv")
    # w2 runs far over its norm: 100 km at 8,7 l/100 km +35 % = 11,75 l; 20 l used.
    fl.close_waybill(ctx, w2, f.clerk, odometer_in=10200, fuel_in=Decimal("13.50"),
                     return_at=datetime(2026, 3, 3, 18))
    problems = fm.reconcile(ctx, 2026, 3)
    kinds = {}
    for p in problems:
        kinds.setdefault(p.kind, []).append(p)
    assert len(kinds["no_waybill"]) == 2
    assert "no waybill was open" in str(kinds["no_waybill"][0].message)
    assert [p.waybill_id for p in kinds["wrong_product"]] == [w1.id]
    assert "«ДТ Евро» bought for a vehicle on Petrol AI-92" in str(kinds["wrong_product"][0].message)
    assert [p.waybill_id for p in kinds["over_tank"]] == [w3.id]
    assert "the tank had room for 40,00 l" in str(kinds["over_tank"][0].message)
    assert len(kinds["over_limit"]) == 1 and "315,00 l this month, the limit is 300 l" in str(
        kinds["over_limit"][0].message)
    assert [p.waybill_id for p in kinds["foreign_card"]] == [w3.id]
    assert [p.waybill_id for p in kinds["over_norm"]] == [w2.id]
    assert "20,00 l used against a norm of 11,75 l" in str(kinds["over_norm"][0].message)
    assert [p.waybill_id for p in kinds["received_differs"]] == [w1.id]  # 15 l on the waybill, 20 l by statement


def test_unknown_cards_and_bad_cells_refuse_the_whole_file(ctx):
    f = fleet(ctx)
    data = statement(("31.02.2026 10:00", "7000999999999999", "АЗС", "АИ-92", "abc", "55", "10"),
                     line(f.card, "01.03.2026 10:00", "10,00"))
    with pytest.raises(Refused) as refused:
        import_statement(ctx, f.provider.id, data, "bad.csv")
    text = " | ".join(refused.value.messages())
    assert "Row 2, «Litres»: not a number: abc" in text
    assert "no card •••• 9999 of this provider" not in text or "Row 2" in text
    assert ctx.query(FuelTransaction).count() == 0


def test_a_providers_own_headers_go_through_its_saved_mapping(ctx):
    f = fleet(ctx)
    odd = ("Когда;PAN;Точка;Номенклатура;Отпущено;Тариф;Итого к оплате\n"
           f"01.03.2026 10:00;{f.card.number};АЗС 1;АИ-92;12,5;55,00;687,50\n").encode()
    with pytest.raises(Refused) as unmapped:
        import_statement(ctx, f.provider.id, odd, "odd.csv")
    assert "no column for" in " ".join(unmapped.value.messages())
    mapping = {"когда": "occurred_at", "pan": "card", "точка": "station", "номенклатура": "product",
               "отпущено": "litres", "тариф": "price", "итого к оплате": "amount"}
    result = import_statement(ctx, f.provider.id, odd, "odd.csv", mapping=mapping, save_as="Провайдер Х")
    assert result.added == 1
    saved = import_mappings.find(ctx, mapping_entity(f.provider.id), list(mapping))
    assert saved is not None and saved.name == "Провайдер Х"
    second = odd.replace(b"10:00", b"11:00")
    assert import_statement(ctx, f.provider.id, second, "odd2.csv").added == 1  # the saved mapping, by itself


def test_month_close_totals_act_and_reopen(ctx):
    f, (w1, w2, w3), data = month_with_problems(ctx)
    import_statement(ctx, f.provider.id, data, "march.csv")
    with pytest.raises(Refused) as still_open:
        fm.close_month(ctx, 2026, 3, f.clerk)
    assert "Close the month's open waybills first: 2 of them." in " ".join(still_open.value.messages())
    fl.close_waybill(ctx, w2, f.clerk, odometer_in=10200, fuel_in=Decimal("13.50"),
                     return_at=datetime(2026, 3, 3, 18))
    fl.close_waybill(ctx, w3, f.clerk, odometer_in=10050, fuel_in=Decimal("30"), return_at=datetime(2026, 3, 3, 18))
    record = fm.close_month(ctx, 2026, 3, f.clerk)
    assert record.status == MonthStatus.closed
    per_vehicle = {v["vehicle"].split()[0]: v for v in record.totals["vehicles"]}
    mine = per_vehicle[f.vehicle.plate]
    assert (mine["mileage"], mine["actual"], mine["fuel_start"], mine["fuel_end"]) == (200, "31.50", "30.00", "13.50")
    assert record.totals["fuels"]["ai92"]["mileage"] == "250"
    act = fm.act_of(ctx, record)
    assert act.okud == "0504230" and act.status == FuelWriteOffStatus.draft
    assert [line.basis for line in act.lines if line.vehicle_id == f.vehicle.id] == [
        f"№ {w1.number}/2026, № {w2.number}/2026"]
    # A closed month refuses changes to its waybills on every path.
    with pytest.raises(Refused) as closed:
        fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 3, 20))
    assert "The fuel month 03.2026 is closed" in " ".join(closed.value.messages())
    with pytest.raises(Refused) as clerk:
        fm.reopen_month(ctx, record, f.clerk, "ошибка")
    assert "Only the head or an administrator" in " ".join(clerk.value.messages())
    documents.approve(ctx, act, f.head)
    with pytest.raises(Refused) as approved:
        fm.reopen_month(ctx, record, f.head, "ошибка в пробеге")
    assert "reverse it first" in " ".join(approved.value.messages())
    reversal = documents.request_reversal(ctx, act, f.head, "Пробег по листу 2 исправлен")
    documents.approve(ctx, reversal, user(ctx, Role.admin, "root"))
    fm.reopen_month(ctx, record, f.head, "ошибка в пробеге")
    assert record.status == MonthStatus.open and record.reopen_reason == "ошибка в пробеге"
    ctx.flush()
    logged = ctx.query(ChangeLogEntry).filter_by(entity="fuel_month", entity_id=record.id).all()
    assert any("reopen_reason" in (e.changes or {}) for e in logged)
    assert ctx.get(Waybill, w1.id).status.value == "approved"


def test_the_act_takes_the_61n_form_when_the_institution_uses_it(ctx):
    from models import FormFamily

    factories.institution(ctx, form_family=FormFamily.f61n)
    f = fleet(ctx)
    w = fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 4, 1), fuel_out=Decimal("20"))
    fl.close_waybill(ctx, w, f.clerk, odometer_in=10050, fuel_in=Decimal("16"))
    act = fm.act_of(ctx, fm.close_month(ctx, 2026, 4, f.clerk))
    assert (act.okud, [line.litres for line in act.lines]) == ("0510460", [Decimal("4.00")])
