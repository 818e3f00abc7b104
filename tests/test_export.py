"""«Экспорт в Excel» of every list: typed cells, what the list found, the ticked rows, safe text."""
import io
import re
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from flask_admin.contrib.sqla import filters
from openpyxl.utils.escape import unescape
from sqlalchemy import func, select, type_coerce

from models import Asset, AssetStatus, ContractStatus, Money, Role, db
from reports.workbook import MONEY_FORMAT
from tests import factories as f

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(response, **kwargs):
    assert response.status_code == 200, response.data[:500]
    assert response.mimetype == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.data), **kwargs).active


def rows(ws):
    """Data rows (header and totals row left out) as lists of values."""
    values = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    return [r for r in values if r[0] not in ("Итого", None)]


@pytest.fixture
def office(app):
    """Two categories, two responsible people, rooms, a supplier and contract, five assets."""
    with app.app_context():
        s = db.session
        computers = f.category(s, name="Компьютеры", balance_account="101.34")
        furniture = f.category(s, name="Мебель", balance_account="101.36")
        anna = f.employee(s, full_name="Петрова Анна Сергеевна")
        oleg = f.employee(s, full_name="Сидоров Олег Петрович")
        dept = f.department(s, name="Отдел обеспечения")
        room = f.room(s, building=f.building(s, name="Главный корпус"), number="101")
        supplier = f.supplier(s, short_name="ООО Техно")
        contract = f.contract(s, number="К-7", signed_on=date(2026, 1, 15), supplier=supplier)
        specs = [
            ("ИН-0001", "Ноутбук Lenovo", computers, anna, AssetStatus.in_use, "123456.78", "10000.01"),
            ("ИН-0002", "Принтер HP", computers, oleg, AssetStatus.under_repair, "45000.10", "45000.10"),
            ("ИН-0003", "Стол письменный", furniture, anna, AssetStatus.in_use, "9999.99", "0.00"),
            ("ИН-0004", "Шкаф", furniture, None, AssetStatus.in_storage, "15000.00", "15000.00"),
            ("ИН-0005", "Монитор Dell", computers, oleg, AssetStatus.in_use, "0.01", "0.00"),
        ]
        for inv, name, category, person, status, value, depreciation in specs:
            f.asset(s, inventory_number=inv, name=name, category=category, responsible=person, status=status,
                    book_value=Decimal(value), depreciation=Decimal(depreciation), department=dept, room=room,
                    supplier=supplier, contract=contract, serial_number=f"SN-{inv[-4:]}", year_made=2023,
                    accepted_on=date(2024, 3, 1), commissioned_on=date(2024, 3, 15), balance_account=None,
                    notes="Кабинет директора" if inv == "ИН-0001" else None)
        s.commit()
        s.remove()


def test_asset_export_has_typed_cells_and_exact_totals(client_as, office, app):
    ws = workbook(client_as(Role.accountant).get("/admin/asset/export/xlsx/"))
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Инвентарный номер", "Наименование", "Группа"]
    assert "Остаточная стоимость" in header and "Балансовый счёт" in header and "Примечание" in header
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert all(c.font.b for c in ws[1])

    col = {name: i for i, name in enumerate(header)}
    first = list(ws[2])
    assert first[col["Инвентарный номер"]].value == "ИН-0001"
    assert first[col["Группа"]].value == "Компьютеры"
    assert first[col["Ответственное лицо"]].value == "Петрова Анна Сергеевна"
    assert first[col["Помещение"]].value == "Главный корпус / 101"
    assert first[col["Договор"]].value == "К-7 / 15.01.2026"
    assert first[col["Статус"]].value == "В эксплуатации"
    year = first[col["Год выпуска"]]
    assert (year.value, year.data_type) == (2023, "n")
    since = first[col["Дата ввода в эксплуатацию"]]
    assert since.value == datetime(2024, 3, 15) and since.is_date and since.number_format == "dd.mm.yyyy"
    value = first[col["Балансовая стоимость"]]
    assert (value.value, value.data_type, value.number_format) == (123456.78, "n", MONEY_FORMAT)
    assert first[col["Остаточная стоимость"]].value == pytest.approx(113456.77)

    # The totals row: SUBTOTAL formulas whose cached values are the database sums to the kopeck.
    total_row = ws.max_row
    assert ws.cell(total_row, 1).value == "Итого"
    letter = openpyxl.utils.get_column_letter(col["Балансовая стоимость"] + 1)
    assert ws[f"{letter}{total_row}"].value == f"=SUBTOTAL(109,{letter}2:{letter}6)"
    cached = openpyxl.load_workbook(io.BytesIO(client_as(Role.accountant).get(
        "/admin/asset/export/xlsx/").data), data_only=True).active
    with app.app_context():
        sums = db.session.execute(select(type_coerce(func.sum(Asset.book_value), Money()),
                                         type_coerce(func.sum(Asset.depreciation), Money()))).one()
    assert Decimal(str(cached.cell(total_row, col["Балансовая стоимость"] + 1).value)) == sums[0] == \
        Decimal("193456.88")
    assert Decimal(str(cached.cell(total_row, col["Начисленная амортизация"] + 1).value)) == sums[1]
    residual = Decimal(str(cached.cell(total_row, col["Остаточная стоимость"] + 1).value))
    assert residual == sums[0] - sums[1]


def test_filtered_sorted_export_has_exactly_the_found_rows(client_as, office, app):
    client = client_as(Role.accountant)
    # The status filter's argument, as the list's filter form sends it.
    with app.test_request_context():
        view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", None) == "asset")
        args = view.filter_args(("status", filters.EnumEqualFilter, "in_use"))
    query = "&".join(f"{k}={v}" for k, v in args.items()) + "&sort=1&desc=1"  # by name, descending
    listed = client.get(f"/admin/asset/?{query}").get_data(as_text=True)
    assert "Принтер HP" not in listed
    ws = workbook(client.get(f"/admin/asset/export/xlsx/?{query}"))
    assert [r[1] for r in rows(ws)] == ["Стол письменный", "Ноутбук Lenovo", "Монитор Dell"]

    ws = workbook(client.get(f"/admin/asset/export/xlsx/?{query}&search=Lenovo"))
    assert [r[0] for r in rows(ws)] == ["ИН-0001"]
    # Every page, not just the first one.
    ws = workbook(client.get("/admin/asset/export/xlsx/?page_size=2&page=1"))
    assert len(rows(ws)) == 5


def test_file_name_in_users_language_with_date(client_as, office):
    response = client_as(Role.viewer).get("/admin/asset/export/xlsx/")
    name = f"Основные_средства_{date.today().isoformat()}.xlsx"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    assert disposition.isascii()


def test_export_of_ticked_rows(client_as, office, app):
    with app.app_context():
        ids = dict(db.session.execute(select(Asset.inventory_number, Asset.id)).all())
    response = client_as(Role.accountant).post("/admin/asset/action/", data={
        "action": "export_xlsx", "rowid": [ids["ИН-0004"], ids["ИН-0002"]], "url": "/admin/asset/"})
    assert "Основные_средства" in unquote_name(response)
    ws = workbook(response)
    assert [r[0] for r in rows(ws)] == ["ИН-0002", "ИН-0004"]  # in the list's order
    assert ws.cell(ws.max_row, 1).value == "Итого"


def unquote_name(response):
    from urllib.parse import unquote
    return unquote(response.headers["Content-Disposition"].split("''")[1])


def test_formula_like_text_is_exported_as_text(client_as, app):
    nasty = ['=HYPERLINK("http://evil.example","Нажмите")', "+79123456789", "-1", "@SUM(A1:A2)",
             "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]
    with app.app_context():
        category = f.category(db.session)
        for n, text in enumerate(nasty):
            f.asset(db.session, inventory_number=f"Ф-{n}", name=text, notes=text, category=category)
        db.session.commit()
        db.session.remove()
    ws = workbook(client_as(Role.clerk).get("/admin/asset/export/xlsx/"))
    header = [c.value for c in ws[1]]
    name_col, notes_col = header.index("Наименование") + 1, header.index("Примечание") + 1
    seen = {}
    for r in range(2, 2 + len(nasty)):
        for c in (name_col, notes_col):
            cell = ws.cell(r, c)
            assert cell.data_type == "s", cell.value
            assert cell.quotePrefix, cell.value  # stays text even after the cell is edited in Excel
        seen[ws.cell(r, 1).value] = unescape(ws.cell(r, name_col).value)
    assert seen == {f"Ф-{n}": text for n, text in enumerate(nasty)}


@pytest.mark.parametrize("endpoint", ["asset", "vehicle", "fuelcard", "contract", "supplier", "building", "room",
                                      "department", "employee", "assetcategory", "changelog"])
def test_every_list_exports_its_columns(endpoint, client_as, app):
    with app.app_context():
        person = f.employee(db.session, department=f.department(db.session, name="Бухгалтерия"))
        supplier = f.supplier(db.session, short_name="ООО Ромашка", inn="7707083893", kpp="770701001")
        contract = f.contract(db.session, supplier=supplier, status=ContractStatus.active, amount=Decimal("10.05"))
        vehicle = f.vehicle(db.session, driver=person)
        f.fuel_card(db.session, number="7005830000012345", provider=supplier, vehicle=vehicle, holder=person,
                    contract=contract)
        f.room(db.session, responsible=person)
        f.asset(db.session, responsible=person)
        db.session.commit()
        view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", None) == endpoint)
        with app.test_request_context():
            expected = [header for _attr, header, _kind in view.table_columns()]
        ids = db.session.scalars(select(view.model.id)).all()
        db.session.remove()
    client = client_as(Role.admin)
    ws = workbook(client.get(f"/admin/{endpoint}/export/xlsx/"))
    assert [c.value for c in ws[1]] == expected
    assert ws.max_row >= 2
    # The selection action works on every list too, in the list's default order.
    ticked = workbook(client.post(f"/admin/{endpoint}/action/", data={"action": "export_xlsx", "rowid": ids}))
    assert [c.value for c in ticked[1]] == expected
    assert [r[0] for r in ticked.iter_rows(min_row=2, max_row=len(ids) + 1, values_only=True)] == \
        [r[0] for r in ws.iter_rows(min_row=2, max_row=len(ids) + 1, values_only=True)]
    values = [v for r in ws.iter_rows(min_row=2, values_only=True) for v in r]
    if endpoint == "fuelcard":
        assert "7005830000012345" in values  # the full number, as an import matches on it
    if endpoint == "contract":
        assert "ООО Ромашка" in values and "7707083893" in values
        assert "Поставка" in values and "Электронный аукцион" in values
    if endpoint == "changelog":
        assert any(isinstance(v, str) and "→" in v for v in values)  # changes as readable text
        assert any(isinstance(v, datetime) for v in values)
    if endpoint == "employee":
        assert "Да" in values and "Нет" in values


def test_every_role_that_reads_may_export(client_as, office, app):
    for role in Role:
        assert client_as(role).get("/admin/asset/export/xlsx/").status_code == 200, role
    anonymous = app.test_client().get("/admin/asset/export/xlsx/")
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.headers["Location"]


def test_list_offers_export_link_with_its_query_string(client_as, office):
    page = client_as(Role.accountant).get("/admin/asset/?search=Lenovo&sort=1").get_data(as_text=True)
    link = re.search(r'<a class="nav-link[^"]*" id="export-xlsx" href="([^"]+)"[^>]*>(.*?)</a>', page, re.S)
    assert link and "Экспорт в Excel" in link.group(2)
    assert link.group(1).startswith("/admin/asset/export/xlsx/?")
    assert "search=Lenovo" in link.group(1) and "sort=1" in link.group(1)
    # Flask-Admin's own «Export» link is not shown beside it.
    assert page.count("/admin/asset/export/xlsx/") == 1
    assert "Экспорт выбранных в Excel" in page


def test_unknown_export_type_is_refused(client_as, office):
    response = client_as(Role.accountant).get("/admin/asset/export/csv/")
    assert response.status_code == 302
