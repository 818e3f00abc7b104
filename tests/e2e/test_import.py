"""A clerk imports assets: list → «Импорт» → upload → preview (with the column mapping) → confirm → the
imported records; a mapping chosen in the browser is saved and applied to the next file by itself."""
import os

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
    page.wait_for_url("**/import/*/")
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
    page.wait_for_url("**/import/*/")
    errors = page.inner_text("#import-errors")
    assert "строка 2, столбец «Группа»" in errors and "строка 2, столбец «Балансовая стоимость»" in errors
    assert page.locator("#import-apply").count() == 0


def test_the_clerk_maps_unknown_columns_saves_the_mapping_and_it_applies_next_time(page_as, live_server, category,
                                                                                  tmp_path):
    statement = [["Код", "Описание", "Вид", "Сумма, руб."], ["СК-1", "Стеллаж", "Мебель", "4 000"]]
    page = page_as(Role.clerk)
    page.goto(f"{live_server}/admin/asset/import/")
    page.set_input_files("input[type=file]", files=[{"name": "склад.csv", "mimeType": "text/csv",
                                                     "buffer": csv_bytes(statement)}])
    page.click("#import-upload")
    page.wait_for_url("**/import/*/")
    assert "«Код», «Описание», «Вид», «Сумма, руб.»" in page.inner_text("#unmapped-columns")
    assert page.locator("#import-apply").count() == 0
    for header, field in (("Код", "inventory_number"), ("Описание", "name"), ("Вид", "category"),
                          ("Сумма, руб.", "book_value")):
        page.select_option(f"select[data-header='{header}']", field)
    page.screenshot(path=os.environ.get("KHOZCHAST_SCREENSHOT", str(tmp_path / "mapping.png")), full_page=True)
    page.click("#mapping-apply")
    page.wait_for_selector("#count-new")
    assert page.inner_text("#count-new") == "1" and page.locator("#unmapped-columns").count() == 0
    assert "Стеллаж" in page.inner_text("#import-new")
    page.fill("#save_as", "Складская ведомость")
    page.click("#mapping-save")
    page.wait_for_selector("#mapping-name")
    page.click("#import-apply")
    page.wait_for_selector("#import-result")

    # The next statement from the same warehouse: mapped by itself.
    page.goto(f"{live_server}/admin/asset/import/")
    statement = [statement[0], ["СК-2", "Шкаф", "Мебель", "7 000"]]
    page.set_input_files("input[type=file]", files=[{"name": "склад-2.csv", "mimeType": "text/csv",
                                                     "buffer": csv_bytes(statement)}])
    page.click("#import-upload")
    page.wait_for_url("**/import/*/")
    assert "Складская ведомость" in page.inner_text("#mapping-name")
    assert page.inner_text("#count-new") == "1"
    assert page.locator("select[data-header='Код']").input_value() == "inventory_number"
    page.click("#import-apply")
    page.wait_for_selector("#import-result")
