"""A fleet month in the browser: a member of staff asks for a trip, the dispatcher assigns it, issues the
waybill and closes it with odometer and fuel, imports the provider's statement, the reconciliation shows the
planted problems, the month is closed, and the head approves and prints the fuel write-off act."""
import io
from decimal import Decimal

import openpyxl

from models import Role, User, db
from models.changelog import begin_batch
from tests import factories
from tests.fleet_setup import fit_vehicle, fleet, norm_card
from tests.libreoffice import convert_to_pdf


def _fleet(app, users):
    with app.app_context():
        begin_batch(db.session, username="test")
        f = fleet(db.session)
        norm_card(db.session, f.vehicle)
        factories.institution(db.session)
        factories.commission(db.session, chair=factories.employee(db.session, full_name="Смирнов Олег Петрович",
                                                                  position="Заместитель начальника"))
        other = fit_vehicle(db.session, plate="В456ОР77")
        asker = factories.employee(db.session, full_name="Петрова Анна Сергеевна")
        db.session.get(User, users[Role.clerk]).employee_id = asker.id
        db.session.commit()
        ids = {"vehicle": f.vehicle.id, "driver": f.driver.id, "provider": f.provider.id, "card": f.card.number,
               "other": other.id}
        db.session.remove()
    return ids


def statement(card: str) -> bytes:
    lines = ["Дата и время;Номер карты;АЗС;Товар;Количество, л;Цена;Сумма",
             f"02.03.2026 12:00;{card};АЗС № 7;АИ-92;20,00;56,00;1120,00",    # on the waybill, as receipted
             f"07.03.2026 10:15;{card};АЗС № 7;АИ-92;25,00;56,00;1400,00",    # a Saturday: no waybill open
             f"02.03.2026 12:30;{card};АЗС № 7;ДТ Евро;5,00;60,00;300,00",    # not the vehicle's fuel
             f"08.03.2026 11:00;{card};АЗС № 9;АИ-92;270,00;56,00;15120,00"]  # past the 300 l monthly limit
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_request_to_approved_and_printed_fuel_write_off(app, users, page_as, tmp_path):
    ids = _fleet(app, users)
    page = page_as(Role.clerk)
    base = page.url.rsplit("/admin/", 1)[0]

    # A member of staff (here the clerk, linked to Петрова) asks for a trip.
    page.goto(f"{base}/admin/transportrequest/ask/")
    page.fill("#trip_date", "2026-03-02")
    page.fill("#starts_at", "09:00")
    page.fill("#ends_at", "12:00")
    page.fill("#route", "Управление — Минфин — Управление")
    page.fill("#purpose", "Сдача отчётности")
    page.click("#ask-form-submit")
    assert "зарегистрирована" in page.inner_text(".alert-success")

    # The dispatcher assigns the fleet's vehicle and driver; the board shows the booking.
    page.click("#assign-request")
    page.select_option("#vehicle", str(ids["vehicle"]))
    page.select_option("#driver", str(ids["driver"]))
    page.click("#assign-form-submit")
    assert "назначена" in page.inner_text(".alert-success")
    page.goto(f"{base}/admin/transportrequest/board/?day=2026-03-02&span=week")
    assert "Управление — Минфин — Управление" in page.inner_text("#board")

    # The waybill: issued with the request as its trip, closed with the return odometer and fuel.
    page.goto(f"{base}/admin/waybill/issue/?vehicle={ids['vehicle']}")
    page.select_option("#driver", str(ids["driver"]))
    page.fill("#valid_from", "2026-03-02")
    page.fill("#departure_at", "2026-03-02T08:00")
    page.fill("#medical_at", "2026-03-02T07:45")
    page.fill("#medic_name", "Сидорова Елена Викторовна")
    page.click("#issue-form-submit")
    assert "выдан" in page.inner_text(".alert-success")
    assert "Управление — Минфин — Управление" in page.content()
    page.click("#close-waybill")
    page.fill("#odometer_in", "9990")
    page.fill("#fuel_in", "10")
    page.click("#close-form-submit")
    assert "одометр не идёт назад" in page.inner_text(".alert-danger, .invalid-feedback, .alert")
    page.fill("#odometer_in", "10250")
    page.fill("#fuel_in", "10.64")
    page.fill("#fuel_received", "20")
    page.fill("#return_at", "2026-03-02T17:30")
    page.click("#close-form-submit")
    assert "закрыт" in page.inner_text(".alert-success")
    # 250 km at 8,7 l/100 km with winter 10 % and urban 25 %: 29,36 l by the norm; 0 + 20 − 10,64 = 9,36 l used.
    assert "29.36" in page.inner_text("#norm-difference") or "29,36" in page.inner_text("#norm-difference")

    # The provider's statement.
    path = tmp_path / "выписка март.csv"
    path.write_bytes(statement(ids["card"]))
    page.goto(f"{base}/admin/fueltransaction/statement/")
    page.select_option("#provider", str(ids["provider"]))
    page.set_input_files("#file", str(path))
    page.click("#statement-submit")
    assert "добавлено операций: 4" in page.inner_text(".alert-success")

    # The reconciliation shows each planted problem; then the month is closed.
    page.goto(f"{base}/admin/fuelmonth/reconcile/?month=2026-03")
    for kind, expected in (("no_waybill", "07.03.2026 10:15"), ("wrong_product", "«ДТ Евро»"),
                           ("over_limit", "лимите 300 л"), ("received_differs", "по выпискам 25,00 л")):
        assert expected in page.inner_text(f"#problems-{kind}"), kind
    page.select_option("#commission", index=1)
    page.click("#close-month")
    assert "закрыт" in page.inner_text(".alert-success")
    assert page.is_visible("#month-closed")
    page.click("#month-act a")
    act_url = page.url

    # The head approves and prints the act.
    head = page_as(Role.head)
    head.goto(act_url)
    head.click("#approve-act")
    assert "утверждён" in head.inner_text(".alert-success")
    with head.expect_download() as download:
        head.click("#print-act")
    saved = tmp_path / "act.xlsx"
    download.value.save_as(saved)
    book = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()))
    text = "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)
    assert "0504230" in text and "о списании материальных запасов" in text and "№ 1/2026" in text
    assert Decimal("9.36") in [Decimal(str(v)).quantize(Decimal("0.01")) for ws in book.worksheets
                               for row in ws.iter_rows(values_only=True) for v in row
                               if isinstance(v, (int, float))]
    pdf = convert_to_pdf([saved], tmp_path)[0]
    assert pdf.stat().st_size > 1000
