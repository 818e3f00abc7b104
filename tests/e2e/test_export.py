"""A clerk filters the asset list by status and downloads «Экспорт в Excel»: the workbook holds
exactly the filtered rows, typed."""
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest

from models import AssetStatus, Role, db
from tests import factories as f


@pytest.fixture
def assets(app):
    with app.app_context():
        person = f.employee(db.session, full_name="Петрова Анна Сергеевна")
        category = f.category(db.session, name="Оргтехника")
        f.asset(db.session, inventory_number="ИН-101", name="Ноутбук Lenovo", status=AssetStatus.in_use,
                responsible=person, category=category, book_value=Decimal("123456.78"))
        f.asset(db.session, inventory_number="ИН-102", name="Принтер HP", status=AssetStatus.under_repair,
                category=category, book_value=Decimal("15000.50"))
        f.asset(db.session, inventory_number="ИН-103", name="Сканер Canon", status=AssetStatus.under_repair,
                category=category, book_value=Decimal("20000.25"))
        db.session.commit()
        db.session.remove()


def test_export_of_the_filtered_list(page_as, live_server, assets, tmp_path):
    page = page_as(Role.clerk)
    page.goto(f"{live_server}/admin/asset/")
    page.click("text=Добавить фильтр")
    page.click(".field-filters a:has-text('Статус')")
    page.locator("select.filter-val").first.select_option(label="В ремонте", force=True)
    page.click("button:has-text('Применить')")
    page.wait_for_load_state()
    assert page.locator("td:has-text('Ноутбук Lenovo')").count() == 0

    with page.expect_download() as info:
        page.click("#export-xlsx:has-text('Экспорт в Excel')")
    download = info.value
    assert download.suggested_filename.startswith("Основные_средства_")
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert header[:2] == ["Инвентарный номер", "Наименование"]
    data = [row for row in ws.iter_rows(min_row=2, values_only=True) if row[0] != "Итого"]
    assert [row[:2] for row in data] == [("ИН-102", "Принтер HP"), ("ИН-103", "Сканер Canon")]
    status = header.index("Статус")
    assert {row[status] for row in data} == {"В ремонте"}
    value = header.index("Балансовая стоимость")
    assert [row[value] for row in data] == [15000.5, 20000.25]
    assert isinstance(data[0][header.index("Дата ввода в эксплуатацию")], datetime)
    totals = [row for row in ws.iter_rows(min_row=2, values_only=True) if row[0] == "Итого"]
    assert totals and totals[0][value].startswith("=SUBTOTAL(109,")
