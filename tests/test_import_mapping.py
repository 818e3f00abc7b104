"""The clerk controls the mapping (and saves it for the next file), keys never lose their zeros, suppliers
match by ИНН alone when the file has no КПП, and the preview lists the new records."""
import io

import pytest
from sqlalchemy import func, select

from models import Asset, ImportJob, Role, SavedMapping, Supplier, db
from services import importer
from tests import factories as f
from tests.import_support import csv_bytes, errors_en, xlsx

ACCOUNT = "40702810938000000001"  # valid for BIK 044525225


@pytest.fixture
def world(app):
    with app.app_context():
        f.category(db.session, name="Мебель")
        anna = f.employee(db.session, full_name="Петрова Анна Сергеевна", personnel_number="000123")
        f.asset(db.session, inventory_number="000777", name="Стол", responsible=anna)
        f.supplier(db.session, full_name="ООО «Ромашка»", short_name="Ромашка", inn="7707083893", kpp="773601001")
        db.session.commit()
        db.session.remove()


def run(app, entity, data, choices=None):
    with app.test_request_context():
        preview = importer.dry_run(db.session, entity, data, "file", choices=choices)
        db.session.rollback()
        return preview


def warnings_en(preview):
    from flask_babel import force_locale

    with force_locale("en"):
        return [(w.row, w.column, str(w.message)) for w in preview.warnings]


def count(app, model):
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
        return n


# Keys never lose their zeros -----------------------------------------------------------------------

def test_a_number_key_matching_one_zero_padded_key_is_a_warning_to_accept(app, world):
    rows = [["Инвентарный номер", "Наименование"], [777, "Стол письменный"]]
    preview = run(app, "asset", xlsx(rows))
    assert errors_en(preview) == [] and (preview.new, preview.changed) == (0, 1)
    assert warnings_en(preview) == [(2, "Инвентарный номер", "«777» lost its leading zeros; taken as the existing «000777»")]
    with app.test_request_context():
        with pytest.raises(importer.WarningsNotAccepted):
            importer.import_file(db.session, "asset", xlsx(rows))
        db.session.rollback()
        result = importer.import_file(db.session, "asset", xlsx(rows), accept_warnings=True)
        db.session.commit()
        assert (result.created, result.updated) == (0, 1)
        db.session.remove()
    assert count(app, Asset) == 1


def test_a_number_key_matching_nothing_is_an_error_not_a_new_record(app, world):
    rows = [["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость"], [124, "Стул", "Мебель", 10]]
    preview = run(app, "asset", xlsx(rows))
    assert errors_en(preview) == [(2, "Инвентарный номер", "the cell is a number (124): leading zeros, if it had any, "
                                   "are lost; format the column as text and type the value again")]
    assert preview.new == 0


def test_text_keys_that_lost_zeros_in_a_csv_are_caught_too(app, world):
    rows = [["Табельный номер", "ФИО"], ["123", "Петрова Анна Сергеевна"], ["0555", "Новиков Илья"]]
    preview = run(app, "employee", csv_bytes(rows))
    assert warnings_en(preview) == [(2, "Табельный номер", "«123» lost its leading zeros; taken as the existing «000123»")]
    assert preview.new == 1 and preview.unchanged == 1  # «0555» keeps its zero: a new employee


def test_a_key_equal_to_an_existing_one_is_no_warning(app, world):
    with app.app_context():
        f.asset(db.session, inventory_number="777", name="Другой")
        db.session.commit()
        db.session.remove()
    preview = run(app, "asset", xlsx([["Инвентарный номер", "Наименование"], [777, "Другой"]]))
    assert preview.warnings == [] and errors_en(preview) == [] and preview.unchanged == 1


def test_personnel_numbers_in_references_and_account_codes(app, world):
    rows = [["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость", "МОЛ", "Счёт учёта"],
            ["ИН-1", "Стул", "Мебель", 10, 123, 101.34], ["ИН-2", "Стул", "Мебель", 10, 123, 101.3]]
    preview = run(app, "asset", xlsx(rows))
    assert errors_en(preview) == [(3, "Счёт учёта", "the code became a number (101.3) and may have lost a "
                                                   "zero; format the column as text and type it again")]
    assert warnings_en(preview) == [(2, "МОЛ", "«123» lost its leading zeros; taken as the personnel number «000123»")]
    assert preview.creates[0]["balance_account"] == "101.34"


def test_okof_codes_from_number_cells(app, world):
    rows = [["Наименование", "Код ОКОФ", "Балансовый счёт", "Вид имущества"],
            ["Стулья", 320.26, "101.36", "Иное движимое имущество"], ["Шкафы", 310, "101.36", "Иное движимое имущество"]]
    preview = run(app, "asset_category", xlsx(rows))
    assert errors_en(preview) == [(3, "Код ОКОФ", "the code became a number (310) and may have lost a zero; "
                                               "format the column as text and type it again")]
    assert preview.creates[0]["okof_code"] == "320.26"


def test_no_file_creates_a_key_differing_only_by_lost_zeros(app, world):
    """Whatever the file does with 000777 — a number, text without zeros — no second asset appears."""
    for data in (xlsx([["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость"], [777, "Стол", "Мебель", 1]]),
                 csv_bytes([["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость"],
                            ["777", "Стол", "Мебель", "1"]])):
        with app.test_request_context():
            try:
                importer.import_file(db.session, "asset", data, accept_warnings=True)
                db.session.commit()
            except importer.ImportRefused:
                db.session.rollback()
            db.session.remove()
    with app.app_context():
        assert db.session.scalars(select(Asset.inventory_number)).all() == ["000777"]
        db.session.remove()


# Suppliers by ИНН alone --------------------------------------------------------------------------------

def test_a_supplier_file_without_kpp_matches_the_one_supplier_with_that_inn(app, world):
    rows = [["ИНН", "Краткое наименование", "Полное наименование", "Телефон"],
            ["7707083893", "Ромашка", "ООО «Ромашка»", "+7 495 111-11-11"]]
    preview = run(app, "supplier", csv_bytes(rows))
    assert errors_en(preview) == [] and (preview.new, preview.changed) == (0, 1)
    assert [(c.column, c.new) for c in preview.changes[0].fields] == [("Телефон", "+7 495 111-11-11")]
    with app.app_context():
        f.supplier(db.session, full_name="ООО «Ромашка» (филиал)", short_name="Ромашка-Ф", inn="7707083893",
                   kpp="773602001")
        db.session.commit()
        db.session.remove()
    preview = run(app, "supplier", csv_bytes(rows))
    assert errors_en(preview) == [(2, "ИНН", "2 records have this INN; add the column «KPP» to tell them apart")]
    assert count(app, Supplier) == 2


# The mapping step -------------------------------------------------------------------------------------

STATEMENT = [["Карта", "Описание", "Сумма, руб.", "Ответственный сотрудник"],
             ["ИН-10", "Шкаф", "1 000,00", "000123"], ["ИН-11", "Тумба", "500", "000123"]]


def test_unmapped_columns_are_listed_and_the_clerk_maps_them(app, world):
    data = csv_bytes(STATEMENT)
    preview = run(app, "asset", data)
    assert preview.fatal is not None
    assert preview.unknown_columns == ["Карта", "Описание", "Сумма, руб.", "Ответственный сотрудник"]
    mapping = {"карта": "inventory_number", "описание": "name", "сумма": "book_value",
               "ответственный сотрудник": "responsible"}
    preview = run(app, "asset", data, {"mapping": mapping})
    assert preview.fatal is not None and "Группа" in str(preview.fatal)  # a new asset needs its category
    preview = run(app, "asset", csv_bytes([row + [c] for row, c in zip(STATEMENT, ["Вид", "Мебель", "Мебель"])]),
                  {"mapping": {**mapping, "вид": "category"}})
    assert errors_en(preview) == [] and preview.new == 2 and preview.unknown_columns == []
    # A column the headers mapped can be skipped.
    preview = run(app, "asset", csv_bytes([["Инвентарный номер", "Наименование", "Примечание"], ["000777", "Стол", "x"]]),
                  {"mapping": {"примечание": ""}})
    assert [(c.header, c.status) for c in preview.columns][2] == ("Примечание", "skipped") and preview.unchanged == 1


def _upload(client, data, name="statement.csv"):
    response = client.post("/admin/asset/import/", data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    return response.location


def test_a_saved_mapping_applies_to_the_next_file_from_the_same_source(app, client_as, world):
    clerk = client_as(Role.clerk)
    rows = [row + [c] for row, c in zip(STATEMENT, ["Вид", "Мебель", "Мебель"])]
    url = _upload(clerk, csv_bytes(rows))
    page = clerk.get(url).get_data(as_text=True)
    assert 'id="unmapped-columns"' in page and "Ответственный сотрудник" in page.split('id="unmapped-columns"')[1]
    form = {"map-0": "inventory_number", "map-1": "name", "map-2": "book_value", "map-3": "responsible",
            "map-4": "category"}
    assert clerk.post(url + "choose/", data=form).status_code == 302
    page = clerk.get(url).get_data(as_text=True)
    assert 'id="count-new">2<' in page and 'id="unmapped-columns"' not in page
    assert clerk.post(url + "choose/", data={"save_as": "Ведомость склада"}).status_code == 302
    with app.app_context():
        saved = db.session.scalar(select(SavedMapping))
        assert saved.name == "Ведомость склада" and saved.mapping["карта"] == "inventory_number"
        db.session.remove()

    # Next month's file from the same source: other rows, same columns — mapped without a touch.
    rows = [STATEMENT[0] + ["Вид"], ["ИН-12", "Полка", "200", "000123", "Мебель"]]
    url = _upload(clerk, csv_bytes(rows, encoding="cp1251"), "statement-2.csv")
    page = clerk.get(url).get_data(as_text=True)
    assert "Ведомость склада" in page.split('id="mapping-name"')[1].split("</p>")[0]
    assert 'id="count-new">1<' in page and 'id="unmapped-columns"' not in page
    assert 'id="import-result"' in clerk.post(url + "apply/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Asset.name).where(Asset.inventory_number == "ИН-12")) == "Полка"
        assert db.session.scalar(select(SavedMapping.uses)) == 1
        db.session.remove()


def test_an_empty_mapping_name_is_refused(app, client_as, world):
    clerk = client_as(Role.clerk)
    url = _upload(clerk, csv_bytes(STATEMENT))
    clerk.get(url)
    page = clerk.post(url + "choose/", data={"save_as": "  "}, follow_redirects=True).get_data(as_text=True)
    assert "Дайте сопоставлению название." in page
    assert count(app, SavedMapping) == 0


def test_the_sheet_is_chosen_on_the_preview(app, client_as, world):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Титул"
    workbook.active.append(["Отчёт"])
    data_sheet = workbook.create_sheet("Данные")
    data_sheet.append(["Инвентарный номер", "Наименование"])
    data_sheet.append(["000777", "Стол дубовый"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    clerk = client_as(Role.clerk)
    url = _upload(clerk, buffer.getvalue(), "book.xlsx")
    page = clerk.get(url).get_data(as_text=True)
    assert 'id="sheet-form"' in page and 'id="count-changed">1<' in page
    assert clerk.post(url + "choose/", data={"sheet": "Титул"}).status_code == 302
    page = clerk.get(url).get_data(as_text=True)
    assert 'id="import-fatal"' in page and 'id="import-apply"' not in page
    with app.app_context():
        assert db.session.scalar(select(ImportJob.choices)) == {"sheet": "Титул"}
        db.session.remove()


def test_the_preview_lists_new_records_by_page(app, client_as, world):
    rows = [["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость", "МОЛ"]] + [
        [f"Н-{i:04d}", f"Стул {i}", "Мебель", "10", "000123"] for i in range(1, 251)]
    clerk = client_as(Role.clerk)
    url = _upload(clerk, csv_bytes(rows))
    page = clerk.get(url).get_data(as_text=True)
    new = page.split('id="import-new"')[1].split("</table>")[0]
    assert 'id="count-new">250<' in page and new.count("<tr>") == 101  # the header and 100 rows
    assert "Н-0001" in new and "Н-0100" in new and "Н-0101" not in new
    assert "Петрова Анна Сергеевна" in new  # references by name, not by id
    page = clerk.get(url + "?new_page=3").get_data(as_text=True)
    new = page.split('id="import-new"')[1].split("</table>")[0]
    assert "Н-0201" in new and "Н-0250" in new and "Н-0200" not in new


def test_warnings_must_be_accepted_on_the_page(app, client_as, world):
    clerk = client_as(Role.clerk)
    url = _upload(clerk, xlsx([["Инвентарный номер", "Наименование"], [777, "Стол письменный"]]), "a.xlsx")
    page = clerk.get(url).get_data(as_text=True)
    assert 'id="import-warnings"' in page and "000777" in page and 'id="accept-warnings"' in page
    response = clerk.post(url + "apply/")
    assert response.status_code == 302
    assert clerk.get(response.location).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Asset.name)) == "Стол"
        db.session.remove()
    assert 'id="import-result"' in clerk.post(url + "apply/", data={"accept_warnings": "1"}).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Asset.name)) == "Стол письменный"
        db.session.remove()
