"""A clerk imports assets from a CSV: list → «Импорт» → upload → preview → confirm → the imported records."""
import pytest

from models import Role, db
from tests import factories as f
from tests.import_support import csv_bytes


@pytest.fixture
def category(app):
    with app.app_context():
        f.category(db.session, name="Мебель")
        f.asset(db.session, inventory_number="СТАРЫЙ-1", name="Старый шкаф")
        db.session.commit()
        db.session.remove()


def test_upload_preview_apply_result(page_as, live_server, category):
    data = csv_bytes([["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость"],
                      ["МБ-0001", "Стол письменный", "Мебель", "12 500,00"],
                      ["МБ-0002", "Кресло офисное", "Мебель", "7 300,50"]], ";", "cp1251")
    page = page_as(Role.clerk)
    page.goto(f"{live_server}/admin/asset/")
    page.click("#import-tool")
    page.wait_for_url("**/admin/asset/import/")
    assert page.inner_text("#import-title") == "Импорт: Основные средства"
    page.set_input_files("input[type=file]", files=[{"name": "мебель.csv", "mimeType": "text/csv", "buffer": data}])
    page.click("#import-upload")
    page.wait_for_url("**/import/preview/")
    assert page.inner_text("#count-new") == "2"
    assert page.inner_text("#count-errors") == "0"
    page.click("#import-apply")
    page.wait_for_selector("#import-result")
    assert "новых 2" in page.inner_text("#import-result")
    page.click("#imported-records")
    page.wait_for_url("**/admin/asset/?batch=*")
    body = page.inner_text("body")
    assert "Стол письменный" in body and "Кресло офисное" in body
    assert "Старый шкаф" not in body


def test_errors_are_listed_and_nothing_can_be_confirmed(page_as, live_server, category):
    data = csv_bytes([["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость"],
                      ["МБ-0003", "Тумба", "Нет такой группы", "abc"]])
    page = page_as(Role.clerk)
    page.goto(f"{live_server}/admin/asset/import/")
    page.set_input_files("input[type=file]", files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": data}])
    page.click("#import-upload")
    page.wait_for_url("**/import/preview/")
    errors = page.inner_text("#import-errors")
    assert "строка 2, столбец «Группа»" in errors and "строка 2, столбец «Балансовая стоимость»" in errors
    assert page.locator("#import-apply").count() == 0
