"""«Отчёты»: inventory list, assets of a responsible person, contracts register — and every workbook
the panel writes opened by LibreOffice."""
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select, type_coerce

from models import (
    Asset,
    AssetStatus,
    Contract,
    ContractKind,
    ContractStatus,
    Money,
    Role,
    db,
)
from reports.workbook import MONEY_FORMAT
from services.depreciation_rules import accumulated_at
from tests import factories as f
from tests.libreoffice import convert_to_pdf

TODAY = date.today()


def book(response, data_only=False):
    assert response.status_code == 200, response.data[:800]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.data), data_only=data_only)


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@pytest.fixture
def assets(app):
    """Two balance accounts; under 101.34 two responsible people; one asset written off."""
    with app.app_context():
        s = db.session
        computers = f.category(s, name="Компьютеры", balance_account="101.34")
        cars = f.category(s, name="Транспорт", balance_account="101.35")
        dept = f.department(s, name="Отдел обеспечения")
        anna = f.employee(s, full_name="Петрова Анна Сергеевна", position="Специалист", department=dept)
        oleg = f.employee(s, full_name="Сидоров Олег Петрович", department=dept)
        rows = [
            ("ИН-1", computers, anna, "150000.00", "25000.00", date(2024, 3, 15), 36, AssetStatus.in_use),
            ("ИН-2", computers, anna, "55000.55", "55000.55", date(2024, 3, 15), 36, AssetStatus.in_use),
            ("ИН-3", computers, oleg, "0.10", "0.00", date(2025, 1, 10), 36, AssetStatus.in_storage),
            ("ИН-4", cars, oleg, "1200000.33", "400000.11", date(2023, 6, 1), 60, AssetStatus.under_repair),
        ]
        for inv, category, person, value, depreciation, commissioned, life, status in rows:
            f.asset(s, inventory_number=inv, name=f"Объект {inv}", category=category, responsible=person,
                    department=dept, book_value=Decimal(value), depreciation=Decimal(depreciation),
                    commissioned_on=commissioned, accepted_on=commissioned, useful_life_months=life, status=status)
        f.asset(s, inventory_number="ИН-9", category=computers, responsible=anna, book_value=Decimal("999.00"),
                depreciation=Decimal("0.00"), status=AssetStatus.written_off, written_off_on=date(2025, 1, 1))
        s.commit()
        ids = {"anna": anna.id, "oleg": oleg.id, "dept": dept.id}
        s.remove()
    return ids


def _cells(ws):
    return [[c for c in row] for row in ws.iter_rows()]


def find_row(ws, text):
    for row in ws.iter_rows():
        if any(c.value == text for c in row):
            return row
    raise AssertionError(f"no row with {text!r}")


def test_inventory_list_groups_subtotals_and_totals(client_as, assets, app):
    client = client_as(Role.accountant)
    response = client.post("/admin/reports/inventory/", data={"at": TODAY.isoformat()})
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''" in disposition
    wb = book(response)
    ws = wb.active
    assert ws["A1"].value == f"Инвентарная ведомость основных средств на {TODAY:%d.%m.%Y}"
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts.index("Балансовый счёт 101.34") < texts.index("Материально ответственное лицо: Петрова Анна Сергеевна")
    assert texts.index("Итого по счёту 101.34") < texts.index("Балансовый счёт 101.35")
    assert "ИН-9" not in texts  # written off before the date

    asset_row = find_row(ws, "ИН-1")
    assert asset_row[0].value == 1 and asset_row[0].data_type == "n"
    assert asset_row[3].value == datetime(2024, 3, 15) and asset_row[3].is_date
    assert (asset_row[4].value, asset_row[4].number_format) == (150000.0, MONEY_FORMAT)
    assert asset_row[5].value == 25000.0 and asset_row[6].value == 125000.0  # stored figure at today

    cached = book(client.post("/admin/reports/inventory/", data={"at": TODAY.isoformat()}), data_only=True).active
    anna_total = find_row(cached, "Итого: Петрова Анна Сергеевна")
    assert [money(c.value) for c in anna_total[4:7]] == [Decimal("205000.55"), Decimal("80000.55"),
                                                          Decimal("125000.00")]
    account = find_row(cached, "Итого по счёту 101.34")
    assert money(account[4].value) == Decimal("205000.65")
    grand = find_row(cached, "Итого по балансу")
    with app.app_context():
        book_sum, dep_sum = db.session.execute(
            select(type_coerce(func.sum(Asset.book_value), Money()), type_coerce(func.sum(Asset.depreciation), Money()))
            .where(Asset.written_off_on.is_(None))).one()
    assert money(grand[4].value) == book_sum == Decimal("1405000.98")
    assert money(grand[5].value) == dep_sum
    assert money(grand[6].value) == book_sum - dep_sum
    # The subtotal formulas: SUBTOTAL(9, …) skips the nested subtotals, so Excel's own total agrees.
    formula_grand = find_row(ws, "Итого по балансу")
    assert formula_grand[4].value.startswith("=SUBTOTAL(9,E")


def test_inventory_list_keeps_account_21_apart(client_as, assets, app):
    with app.app_context():
        chairs = f.category(db.session, name="Стулья", balance_account="101.36")
        f.asset(db.session, inventory_number="ИН-21", name="Стул", category=chairs, balance_account="21",
                book_value=Decimal("3500.00"), depreciation=Decimal("3500.00"), commissioned_on=date(2024, 1, 1),
                accepted_on=date(2024, 1, 1))
        f.institution(db.session)
        db.session.commit()
        db.session.remove()
    ws = book(client_as(Role.accountant).post("/admin/reports/inventory/", data={"at": TODAY.isoformat()}),
              data_only=True).active
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Учреждение: ГКУ «Хозяйственное управление»" in texts
    balance = find_row(ws, "Итого по балансу")
    assert money(balance[4].value) == Decimal("1405000.98")  # without the chair on account 21
    assert texts.index("Итого по балансу") < texts.index("Балансовый счёт 21") < texts.index("ИН-21")
    assert money(find_row(ws, "Итого по счёту 21")[4].value) == Decimal("3500.00")
    assert any(t.startswith("Забалансовый счет 21") and "не входят в итог" in t for t in texts)
    assert "______________ / Орлова Нина Павловна /" in texts  # the chief accountant signs
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows


def test_inventory_list_at_an_earlier_date_computes_depreciation(client_as, assets):
    at = date(2024, 12, 31)
    wb = book(client_as(Role.viewer).post("/admin/reports/inventory/", data={"at": at.isoformat()}))
    ws = wb.active
    row = find_row(ws, "ИН-1")
    expected = accumulated_at(Decimal("150000.00"), date(2024, 3, 15), 36, at)
    assert money(row[5].value) == expected == Decimal("37500.03")  # 9 months of 4166.67
    assert money(row[6].value) == Decimal("150000.00") - expected
    texts = [c.value for r in ws.iter_rows() for c in r]
    assert "ИН-3" not in texts  # accepted in 2025
    assert "ИН-9" in texts  # still on the balance at the end of 2024


def test_inventory_list_parameters_filter(client_as, assets):
    wb = book(client_as(Role.accountant).post("/admin/reports/inventory/", data={
        "at": TODAY.isoformat(), "responsible": str(assets["oleg"]), "status": "under_repair",
        "department": str(assets["dept"])}))
    ws = wb.active
    texts = [c.value for r in ws.iter_rows() for c in r if c.value is not None]
    assert "ИН-4" in texts and "ИН-1" not in texts and "ИН-3" not in texts
    assert any(isinstance(t, str) and "Статус: В ремонте" in t for t in texts)


def test_responsible_assets_one_sheet_per_person_with_signature(client_as, assets):
    response = client_as(Role.accountant).post("/admin/reports/responsible/", data={"at": TODAY.isoformat()})
    wb = book(response)
    assert wb.sheetnames == ["Петрова Анна Сергеевна", "Сидоров Олег Петрович"]
    ws = wb["Петрова Анна Сергеевна"]
    assert ws["A1"].value.startswith("Основные средства, закреплённые за материально ответственным лицом: "
                                     "Петрова Анна Сергеевна, Специалист")
    assert [ws.cell(r, 3).value for r in (3, 4)] == ["ИН-1", "ИН-2"]
    assert [ws.cell(r, 2).value for r in (2, 3, 4)] == ["Номер счета", "101.34", "101.34"]
    assert ws.cell(3, 8).value == 150000.0 and ws.cell(3, 8).number_format == MONEY_FORMAT
    assert ws.cell(5, 1).value == "Итого" and ws.cell(5, 8).value == "=SUBTOTAL(109,H3:H4)"
    texts = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert "Материально ответственное лицо ______________ / Петрова А. С. /" in texts
    assert any(t.startswith("Дата «___»") for t in texts)

    cached = book(client_as(Role.accountant).post("/admin/reports/responsible/",
                                                  data={"at": TODAY.isoformat()}), data_only=True)
    # Oleg holds assets on two accounts (101.34 and 101.35): still one sheet, both lines on it.
    oleg = cached["Сидоров Олег Петрович"]
    assert [oleg.cell(r, 2).value for r in (3, 4)] == ["101.34", "101.35"]
    assert money(oleg.cell(5, 8).value) == Decimal("1200000.43")

    one = book(client_as(Role.accountant).post("/admin/reports/responsible/", data={
        "at": TODAY.isoformat(), "responsible": str(assets["oleg"])}))
    assert one.sheetnames == ["Сидоров Олег Петрович"]


@pytest.fixture
def contracts(app):
    with app.app_context():
        s = db.session
        alpha = f.supplier(s, short_name="ООО Альфа", inn="7707083893", kpp="770701001")
        beta = f.supplier(s, short_name="ООО Бета", inn="7736207543", kpp="773601001")
        f.contract(s, number="1", signed_on=date(2026, 1, 10), supplier=alpha, amount=Decimal("100.10"),
                   ikz="263770708389377070100100010010000244",
                   kind=ContractKind.supply, status=ContractStatus.active, starts_on=date(2026, 1, 10),
                   ends_on=TODAY + timedelta(days=30))
        f.contract(s, number="2", signed_on=date(2026, 2, 10), supplier=beta, amount=Decimal("200.20"),
                   kind=ContractKind.services, status=ContractStatus.active, ends_on=TODAY - timedelta(days=5))
        f.contract(s, number="3", signed_on=date(2026, 3, 10), supplier=alpha, amount=Decimal("0.03"),
                   kind=ContractKind.supply, status=ContractStatus.executed)
        f.contract(s, number="4", signed_on=date(2025, 12, 31), supplier=beta, amount=Decimal("5.00"),
                   kind=ContractKind.fuel, status=ContractStatus.draft)
        s.commit()
        ids = {"alpha": alpha.id, "beta": beta.id}
        s.remove()
    return ids


def test_contracts_register(client_as, contracts, app):
    client = client_as(Role.accountant)
    data = {"signed_from": "2026-01-01", "signed_to": "2026-12-31"}
    ws = book(client.post("/admin/reports/contracts/", data=data)).active
    assert ws["A1"].value == "Реестр договоров, заключённых 01.01.2026 – 31.12.2026"
    header = [c.value for c in ws[2]]
    assert header == ["№ п/п", "Номер", "Дата договора", "ИКЗ", "Способ закупки", "Контрагент", "ИНН", "Предмет",
                      "Вид", "Сумма", "Дата начала", "Дата окончания", "Статус", "Дней до окончания"]
    first = [c for c in ws[3]]
    assert [c.value for c in first[:3]] == [1, "1", datetime(2026, 1, 10)]
    assert [c.value for c in first[5:7]] == ["ООО Альфа", "7707083893"]
    with app.test_request_context():
        method = db.session.scalar(select(Contract.procurement_method).where(Contract.number == "1"))
        method = str(method.label)
    assert first[3].value == "263770708389377070100100010010000244" and first[4].value == method
    assert first[8].value == "Поставка" and first[12].value == "Действует"
    assert first[9].value == 100.10 and first[9].number_format == MONEY_FORMAT
    assert first[13].value == 30 and first[13].data_type == "n"
    assert ws.cell(4, 14).value == -5
    assert ws.cell(5, 14).value is None  # no end date
    assert [ws.cell(r, 2).value for r in (3, 4, 5)] == ["1", "2", "3"]  # «4» was signed in 2025

    cached = book(client.post("/admin/reports/contracts/", data=data), data_only=True).active
    with app.app_context():
        expected = db.session.scalar(select(type_coerce(func.sum(Contract.amount), Money()))
                                     .where(Contract.signed_on >= date(2026, 1, 1)))
    assert cached.cell(6, 1).value == "Итого" and money(cached.cell(6, 10).value) == expected == Decimal("300.33")

    only = book(client.post("/admin/reports/contracts/", data={
        "status": "active", "kind": "supply", "supplier": str(contracts["alpha"])})).active
    assert [only.cell(r, 2).value for r in range(3, only.max_row)] == ["1"]

    # Drafts are not in the register's total: they are listed on a sheet of their own.
    everything = book(client.post("/admin/reports/contracts/", data={}), data_only=True)
    assert everything.sheetnames == ["Реестр договоров", "Черновики"]
    register, drafts = everything["Реестр договоров"], everything["Черновики"]
    assert "4" not in [register.cell(r, 2).value for r in range(3, register.max_row + 1)]
    assert money(find_row(register, "Итого")[9].value) == Decimal("300.33")
    assert drafts["A1"].value == "Черновики договоров (не входят в итог реестра)"
    assert drafts.cell(3, 2).value == "4" and drafts.cell(3, 13).value == "Черновик"


def test_report_form_errors_and_access(client_as, contracts, app):
    client = client_as(Role.viewer)
    page = client.get("/admin/reports/contracts/")
    assert page.status_code == 200 and "Скачать Excel" in page.get_data(as_text=True)
    response = client.post("/admin/reports/contracts/", data={"signed_from": "2026-02-01",
                                                               "signed_to": "2026-01-01"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Конец периода раньше его начала." in response.get_data(as_text=True)
    response = client.post("/admin/reports/inventory/", data={"at": "31.02.2026"})
    assert response.mimetype == "text/html"
    menu = client.get("/admin/").get_data(as_text=True)
    assert "Отчёты" in menu and "Инвентарная ведомость" in menu and "Реестр договоров" in menu
    anonymous = app.test_client().get("/admin/reports/inventory/")
    assert anonymous.status_code == 302


def test_libreoffice_opens_every_workbook(client_as, assets, contracts, tmp_path):
    client = client_as(Role.accountant)
    files = {
        "export": client.get("/admin/asset/export/xlsx/"),
        "contracts_export": client.get("/admin/contract/export/xlsx/"),
        "inventory": client.post("/admin/reports/inventory/", data={"at": TODAY.isoformat()}),
        "responsible": client.post("/admin/reports/responsible/", data={"at": TODAY.isoformat()}),
        "register": client.post("/admin/reports/contracts/", data={}),
    }
    for name, response in files.items():
        assert response.status_code == 200, name
        (tmp_path / f"{name}.xlsx").write_bytes(response.data)
    for pdf in convert_to_pdf([tmp_path / f"{name}.xlsx" for name in files], tmp_path):
        assert pdf.stat().st_size > 1000
