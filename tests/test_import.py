"""Import: round trip export → import changes nothing, every error with row and column, all or nothing,
the change log under one batch, and the upload → preview → apply pages."""
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Asset, AssetStatus, ChangeLogEntry, Employee, ImportJob, Role, Room, db, utcnow
from models.changelog import begin_batch
from admin_views import MODEL_VIEWS
from services import importer
from tests import factories as f
from tests.import_support import csv_bytes, errors_en, exported_file, fatal_en, view_for, xlsx

# Every list whose model declares what an import reads.
ENTITIES = {endpoint: model for _view, model, _menu, endpoint in MODEL_VIEWS if getattr(model, "importable", None)}
ACCOUNT = "40702810938000000001"  # valid for BIK 044525225


def make_world(session):
    dep = f.department(session, name="Бухгалтерия", code="BUH")
    anna = f.employee(session, full_name="Петрова Анна Сергеевна", department=dep, personnel_number="000123",
                      is_driver=True, licence_number="7700123456", licence_expires_on=date(2027, 1, 1))
    f.employee(session, full_name="Сидоров Олег Петрович", personnel_number="000124", is_responsible=False)
    cat = f.category(session, name="Компьютеры")
    room = f.room(session, building=f.building(session, name="Главный корпус"), number="101", floor=1,
                  area=Decimal("18.50"), purpose="Кабинет", responsible=anna)
    sup = f.supplier(session, full_name="ООО «Ромашка»", short_name="Ромашка", inn="7707083893", kpp="773601001",
                     ogrn="1027700132195", bik="044525225", settlement_account=ACCOUNT, phone="+7 495 000-00-00")
    con = f.contract(session, number="0123-2024", signed_on=date(2024, 2, 1), supplier=sup, responsible=anna,
                     ikz="2" * 36, vat=Decimal("2000.00"), ends_on=date(2024, 12, 31))
    f.asset(session, inventory_number="0001234", name="Ноутбук Lenovo", category=cat, responsible=anna,
            department=dep, room=room, supplier=sup, contract=con, book_value=Decimal("123456.78"),
            depreciation=Decimal("1000.00"), serial_number="PF-1")
    f.asset(session, inventory_number="0001235", name="Принтер HP", category=cat, status=AssetStatus.under_repair)
    car = f.vehicle(session, plate="А123ВС77", vin="XTA219010K0123456", driver=anna, osago_expires_on=date(2026, 5, 1))
    f.fuel_card(session, number="7005830012345678", provider=sup, contract=con, vehicle=car, holder=anna,
                valid_until=date(2026, 12, 31), monthly_limit_l=300)
    f.transport_request(session, number="З-0001", requester=anna, vehicle=car, driver=anna)
    f.waybill(session, vehicle=car, driver=anna)


@pytest.fixture
def world(app):
    with app.app_context():
        begin_batch(db.session, username="test")
        make_world(db.session)
        db.session.commit()
        db.session.remove()


def run(app, entity, data, endpoint=None):
    """A dry run as the view does it (with the view's export columns in both languages)."""
    with app.test_request_context():
        columns = view_for(app, endpoint).import_columns() if endpoint else ()
        preview = importer.dry_run(db.session, entity, data, "file", columns)
        db.session.rollback()
        return preview


def apply_file(app, entity, data):
    with app.test_request_context():
        begin_batch(db.session, username="test")
        result = importer.import_file(db.session, entity, data, "file.xlsx")
        db.session.commit()
        db.session.remove()
        return result


def count(app, model):
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
        return n


# Round trip ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", list(ENTITIES))
def test_exported_list_imports_back_unchanged(app, clerk, world, endpoint):
    model = ENTITIES[endpoint]
    if not count(app, model):  # an entity the shared world doesn't cover: its factory makes a record
        with app.app_context():
            f.FACTORIES[model](db.session)
            db.session.commit()
    data = exported_file(app, clerk, endpoint)
    preview = run(app, model.__tablename__, data, endpoint)
    assert preview.fatal is None and errors_en(preview) == []
    assert (preview.new, preview.changed) == (0, 0)
    assert preview.unchanged == count(app, model) > 0


@pytest.mark.parametrize("endpoint", list(ENTITIES))
def test_export_columns_cover_what_an_import_needs_to_create(app, endpoint):
    """The export of every importable list has each column a new record needs (so a template works)."""
    spec = importer.SPECS[ENTITIES[endpoint].__tablename__]
    with app.test_request_context():
        names = {name for name, _, _ in view_for(app, endpoint).table_columns()}
    assert {f.name for f in spec.fields if f.required} <= names


def test_edited_export_updates_only_what_changed(app, clerk, world):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(exported_file(app, clerk, "asset")))
    sheet = workbook.active
    header_row = next(r for r in range(1, 5) if sheet.cell(r, 1).value == "Инвентарный номер")
    headers = [c.value for c in sheet[header_row]]
    row = next(r for r in range(header_row + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == "0001234")
    sheet.cell(row, headers.index("Наименование") + 1).value = "Ноутбук Lenovo T14"
    sheet.cell(row, headers.index("Ответственное лицо") + 1).value = "000124"  # by personnel number
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = run(app, "asset", buffer.getvalue(), "asset")
    assert errors_en(preview) == []
    assert (preview.new, preview.changed, preview.unchanged) == (0, 1, 1)
    [change] = preview.changes
    assert change.row == row and change.key == "0001234"
    assert [(c.column, c.old, c.new) for c in change.fields] == [
        ("Наименование", "Ноутбук Lenovo", "Ноутбук Lenovo T14"),
        ("Ответственное лицо", "Петрова Анна Сергеевна", "Сидоров Олег Петрович")]


# Errors: every one, with row and column ------------------------------------------------------------

def test_every_kind_of_error_is_reported_with_row_and_column(app, world):
    header = ["ИНН", "КПП", "Краткое наименование", "Полное наименование", "ОГРН/ОГРНИП", "БИК", "Расчётный счёт",
              "Эл. почта", "Колонка из другой программы"]
    rows = [
        header,
        ["7707083894", "773601001", "Ошибка ИНН", "ООО «А»", "", "", "", "", "x"],             # 2: checksum
        ["770708389", "773601001", "Короткий ИНН", "ООО «Б»", "", "", "", "", ""],              # 3: length
        ["7736207543", "77360100", "Плохой КПП", "ООО «В»", "", "", "", "", ""],                # 4: KPP
        ["7728168971", "772801001", "Плохой ОГРН", "ООО «Г»", "1027700132194", "", "", "", ""],  # 5: OGRN checksum
        ["7702070139", "770201001", "Плохой счёт", "ООО «Д»", "", "044525225", "40702810038000000001", "", ""],  # 6
        ["7710140679", "771001001", "Плохой БИК", "ООО «Е»", "", "123456789", "", "", ""],     # 7: BIK
        ["7710140679", "771001002", "", "", "", "", "", "", ""],                               # 8: required
        ["7707083893", "773601001", "Ромашка", "ООО «Ромашка»", "", "", "", "", ""],           # 9: fine (update)
        ["7707083893", "773601001", "Ромашка 2", "ООО «Ромашка»", "", "", "", "", ""],         # 10: duplicate of 9
    ]
    preview = run(app, "supplier", xlsx(rows), "supplier")
    assert preview.unknown_columns == ["Колонка из другой программы"]
    errors = errors_en(preview)
    assert (2, "ИНН", "invalid checksum") in errors
    assert (3, "ИНН", "must be 10 or 12 digits") in errors
    assert (4, "КПП", "must be 9 characters: 4 digits, 2 digits or letters, 3 digits") in errors
    assert (5, "ОГРН/ОГРНИП", "invalid checksum") in errors
    assert (6, "Расчётный счёт", "control key does not match the BIK") in errors
    assert (7, "БИК", "must be 9 digits starting with 04 (a bank) or 00, 01 (a Treasury office)") in errors
    assert (8, "Краткое наименование", "required") in errors and (8, "Полное наименование", "required") in errors
    assert (10, "ИНН", "the same record as row 9") in errors
    assert len(errors) == 9
    assert preview.error_rows == 8 and preview.changed == 1 and preview.new == 0
    assert not preview.ok


def test_reference_value_and_rule_errors_on_assets(app, world):
    with app.app_context():
        f.employee(db.session, full_name="Петрова Анна Сергеевна", personnel_number="000999")  # a namesake
        db.session.commit()
        db.session.remove()
    header = ["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость", "Начисленная амортизация",
              "Ответственное лицо", "Помещение", "Контрагент", "Договор", "Статус", "Дата принятия к учёту",
              "Подразделение", "СПИ, мес."]
    ok = ["ИН-1", "Стол", "Компьютеры", "100", "0", "000123", "Главный корпус / 101", "7707083893",
          "0123-2024 / 01.02.2024", "В эксплуатации", "01.02.2024", "BUH", "36"]

    def row(**changes):
        values = dict(zip(header, ok))
        values.update(changes)
        return [values[h] for h in header]

    rows = [header,
            row(**{"Инвентарный номер": "ИН-2", "Группа": "Мебель"}),
            row(**{"Инвентарный номер": "ИН-3", "Ответственное лицо": "Петрова Анна Сергеевна"}),
            row(**{"Инвентарный номер": "ИН-4", "Помещение": "Главный корпус 101"}),
            row(**{"Инвентарный номер": "ИН-5", "Балансовая стоимость": "сто рублей"}),
            row(**{"Инвентарный номер": "ИН-6", "Начисленная амортизация": "200"}),
            row(**{"Инвентарный номер": "ИН-7", "Статус": "Сломан"}),
            row(**{"Инвентарный номер": "ИН-8", "Дата принятия к учёту": "31.02.2024"}),
            row(**{"Инвентарный номер": "ИН-9", "Договор": "0999"}),
            row(**{"Инвентарный номер": "ИН-10", "Контрагент": "7736207543"}),
            row(**{"Инвентарный номер": "ИН-11", "Статус": "Списано"}),
            row(**{"Инвентарный номер": "ИН-12", "СПИ, мес.": "36,5"}),
            row(**{"Инвентарный номер": "", "Наименование": "Без номера"}),
            row(),
            ]
    preview = run(app, "asset", csv_bytes(rows), "asset")
    errors = errors_en(preview)
    assert (2, "Группа", "no asset category named «Мебель»") in errors
    assert (3, "Ответственное лицо",
            "several employees are named «Петрова Анна Сергеевна»; write the personnel number instead") in errors
    assert (4, "Помещение", "write the room as «building / number»: Главный корпус 101") in errors
    assert (5, "Балансовая стоимость", "not a number: сто рублей") in errors
    assert (6, "Начисленная амортизация", "cannot exceed the book value") in errors
    assert any(e[:2] == (7, "Статус") and e[2].startswith("unknown value «Сломан»") for e in errors)
    assert (8, "Дата принятия к учёту", "not a date (expected dd.mm.yyyy): 31.02.2024") in errors
    assert (9, "Договор", "no contract «0999» (write «number / dd.mm.yyyy»)") in errors
    assert (10, "Контрагент", "no supplier with the INN or short name «7736207543»") in errors
    assert (11, "Статус", "this status is set only by a write-off act") in errors
    assert (12, "СПИ, мес.", "must be a whole number: 36,5") in errors
    assert (13, "Инвентарный номер", "required: it identifies the record") in errors
    assert len(errors) == 12 and preview.new == 1 and preview.error_rows == 12


def test_missing_required_columns_stop_the_import(app, world):
    preview = run(app, "asset", csv_bytes([["Наименование", "Группа"], ["Стол", "Компьютеры"]]), "asset")
    assert fatal_en(preview) == "Required columns are missing: Инвентарный номер."
    preview = run(app, "asset", csv_bytes([["Инвентарный номер", "Наименование"], ["ИН-9", "Стол"]]), "asset")
    assert fatal_en(preview) == "Required columns are missing for new records: Группа, Балансовая стоимость."
    # Updating existing records needs only the key and the changed columns.
    preview = run(app, "asset", csv_bytes([["Инвентарный номер", "Наименование"], ["0001234", "Ноутбук"]]), "asset")
    assert preview.ok and preview.changed == 1


def test_english_headers_and_labels_are_accepted(app, world):
    rows = [["Inventory number", "Name", "Category", "Book value", "Status", "Responsible person"],
            ["ИН-77", "Desk", "компьютеры", "1,234.50", "In storage", "Петрова  Анна Сергеевна "]]
    preview = run(app, "asset", csv_bytes(rows, delimiter=","), "asset")
    assert errors_en(preview) == [] and preview.new == 1
    created = preview.creates[0]
    assert created["book_value"] == Decimal("1234.50") and created["status"] is AssetStatus.in_storage


def test_written_off_asset_is_not_changed_by_import(app, world):
    with app.app_context():
        db.session.execute(Asset.__table__.update().where(Asset.inventory_number == "0001235")
                           .values(status=AssetStatus.written_off))
        db.session.commit()
    rows = [["Инвентарный номер", "Наименование", "Статус"], ["0001235", "Принтер HP", "Списано"],
            ["0001235 ", "Принтер", "Списано"]]
    preview = run(app, "asset", csv_bytes(rows[:2]), "asset")
    assert preview.ok and preview.unchanged == 1
    preview = run(app, "asset", csv_bytes([rows[0], rows[2]]), "asset")
    assert errors_en(preview) == [(2, "Статус", "Written off: changed only through its write-off act")]


# All or nothing ------------------------------------------------------------------------------------

def test_one_bad_row_among_two_thousand_writes_nothing(app, world):
    header = ["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость", "Дата принятия к учёту"]
    rows = [header] + [[f"Н-{i:05d}", f"Стул {i}", "Компьютеры", "1500,00", "01.02.2024"] for i in range(2000)]
    rows[1377][4] = "32.01.2024"  # row 1378 of the file: the header is row 1
    before = count(app, Asset)
    preview = run(app, "asset", xlsx(rows), "asset")
    assert errors_en(preview) == [(1378, "Дата принятия к учёту", "not a date (expected dd.mm.yyyy): 32.01.2024")]
    assert preview.new == 1999 and preview.error_rows == 1
    with pytest.raises(importer.ImportRefused):
        apply_file(app, "asset", xlsx(rows))
    assert count(app, Asset) == before


def test_a_failure_while_writing_leaves_nothing_behind(app, world, monkeypatch):
    rows = [["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость"],
            ["ИН-1", "Стол", "Компьютеры", "10"], ["0001234", "Ноутбук", "Компьютеры", "100000"]]

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "record_changes", broken)
    with app.test_request_context():
        begin_batch(db.session, username="test")
        with pytest.raises(RuntimeError):
            importer.import_file(db.session, "asset", csv_bytes(rows))
        db.session.rollback()
        db.session.remove()
    assert count(app, Asset) == 2
    with app.app_context():
        assert db.session.scalar(select(Asset.name).where(Asset.inventory_number == "0001234")) == "Ноутбук Lenovo"


def test_a_record_changed_after_the_preview_refuses_the_apply(app, world):
    rows = [["Инвентарный номер", "Наименование"], ["0001234", "Новое имя"]]
    with app.test_request_context():
        begin_batch(db.session, username="test")
        preview = importer.dry_run(db.session, "asset", csv_bytes(rows))
        db.session.rollback()
        asset = db.session.scalar(select(Asset).where(Asset.inventory_number == "0001234"))
        asset.notes = "changed by a colleague"
        db.session.commit()
        with pytest.raises(importer.ConcurrentChange):
            importer.apply(db.session, preview)
        db.session.rollback()
        assert db.session.scalar(select(Asset.name).where(Asset.inventory_number == "0001234")) == "Ноутбук Lenovo"
        db.session.remove()


# Apply: set-based, one batch in the change log -----------------------------------------------------

def test_apply_creates_and_updates_under_one_batch(app, world):
    rows = [["Инвентарный номер", "Наименование", "Группа", "Балансовая стоимость", "Статус"],
            ["0001234", "Ноутбук Lenovo", "Компьютеры", "1 000,00", "На складе"],
            ["ИН-NEW", "Сканер", "Компьютеры", "2500", ""]]
    result = apply_file(app, "asset", csv_bytes(rows))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    with app.app_context():
        entries = db.session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.batch_id == result.batch_id)
                                     .order_by(ChangeLogEntry.id)).all()
        old = db.session.scalar(select(Asset).where(Asset.inventory_number == "0001234"))
        new = db.session.scalar(select(Asset).where(Asset.inventory_number == "ИН-NEW"))
        assert old.version == 2 and old.status is AssetStatus.in_storage and old.book_value == Decimal("1000.00")
        assert new.status is AssetStatus.in_use and new.version == 1 and new.created_at is not None
        by_id = {e.entity_id: e for e in entries}
        assert {e.action for e in entries} == {"import"} and {e.entity for e in entries} == {"asset"}
        # 1 000 ₽ is off-balance: the asset rule set moves it to account 21 on import as on every path.
        assert by_id[old.id].changes == {"book_value": ["123456.78", "1000.00"], "status": ["in_use", "in_storage"],
                                         "balance_account": [None, "21"]}
        assert by_id[new.id].changes["inventory_number"] == [None, "ИН-NEW"]
        assert by_id[new.id].changes["book_value"] == [None, "2500.00"]
        assert by_id[new.id].changes["status"] == [None, "in_use"]
        assert by_id[new.id].comment == "file.xlsx"
        db.session.remove()


# The pages -----------------------------------------------------------------------------------------

def _upload(client, endpoint, data, name="file.csv"):
    return client.post(f"/admin/{endpoint}/import/", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _job_url(response):
    assert response.status_code == 302 and "/import/" in response.location, response.data[:300]
    return response.location


def test_upload_preview_apply_and_result_link(app, clerk, world):
    page = clerk.get("/admin/employee/").get_data(as_text=True)
    assert 'id="import-tool"' in page and "/admin/employee/import/" in page
    data = csv_bytes([["Табельный номер", "ФИО", "Должность", "Подразделение", "МОЛ"],
                      ["000123", "Петрова Анна Сергеевна", "Главный бухгалтер", "Бухгалтерия", "да"],
                      ["000777", "Новиков Илья", "Водитель", "BUH", "нет"]], encoding="cp1251")
    url = _job_url(_upload(clerk, "employee", data))
    with app.app_context():
        job = db.session.scalar(select(ImportJob))
        assert url.endswith(f"/admin/employee/import/{job.id}/")
        assert job.data == data and job.filename == "file.csv" and job.plan is None
        db.session.remove()
    page = clerk.get(url).get_data(as_text=True)
    assert 'id="count-new">1<' in page and 'id="count-changed">1<' in page
    assert "Специалист" in page and "Главный бухгалтер" in page  # old → new
    assert "Новиков Илья" in page.split('id="import-new"')[1]  # the new record is listed
    assert 'id="import-apply"' in page
    with app.app_context():
        assert db.session.scalar(select(ImportJob.plan))["format"] == 1  # the plan waits in the database
        db.session.remove()
    assert not (Path(app.instance_path) / "imports").exists()
    page = clerk.post(url + "apply/").get_data(as_text=True)
    assert 'id="import-result"' in page
    with app.app_context():
        batch = db.session.scalar(select(ChangeLogEntry.batch_id).where(ChangeLogEntry.action == "import"))
        assert db.session.scalar(select(func.count()).select_from(ImportJob)) == 0
        db.session.remove()
    assert f"/admin/employee/?batch={batch}" in page
    listed = clerk.get(f"/admin/employee/?batch={batch}").get_data(as_text=True)
    assert "Новиков Илья" in listed and "Петрова Анна Сергеевна" in listed and "Сидоров Олег" not in listed
    # The job is gone: applying again sends the clerk back to upload.
    again = clerk.post(url + "apply/")
    assert again.status_code == 302 and again.location.endswith("/admin/employee/import/")


def test_a_job_is_its_owners_only(app, client_as, world):
    url = _job_url(_upload(client_as(Role.clerk), "employee", csv_bytes([["Табельный номер", "ФИО"],
                                                                          ["000555", "Новый"]])))
    other = client_as(Role.admin)
    response = other.get(url)
    assert response.status_code == 302 and response.location.endswith("/admin/employee/import/")
    assert other.post(url + "apply/").status_code == 302
    assert count(app, Employee) == 2


def test_preview_with_errors_offers_no_confirmation_and_apply_refuses(app, clerk, world):
    data = csv_bytes([["Номер", "Здание", "Этаж"], ["202", "Нет такого", "2"], ["203", "Главный корпус", "два"]])
    url = _job_url(_upload(clerk, "room", data))
    page = clerk.get(url).get_data(as_text=True)
    assert "строка 2, столбец «Здание»" in page and "строка 3, столбец «Этаж»" in page
    assert 'id="import-apply"' not in page and 'id="import-blocked"' in page
    response = clerk.post(url + "apply/")
    assert response.status_code == 302
    assert count(app, Room) == 1


def test_bad_files_get_a_clear_message(clerk, world):
    response = _upload(clerk, "asset", b"", "empty.csv")
    page = response.get_data(as_text=True) if response.status_code == 200 else clerk.get(response.location).get_data(
        as_text=True)
    assert "Выберите файл" in page or "Файл пуст" in page
    url = _job_url(_upload(clerk, "asset", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
                           + "EncryptedPackage".encode("utf-16-le"), "secret.xlsx"))
    page = clerk.get(url).get_data(as_text=True)
    assert 'id="import-fatal"' in page and "защищён паролем" in page


def test_stale_jobs_are_swept_on_the_next_upload(app, clerk, world):
    from datetime import timedelta

    url = _job_url(_upload(clerk, "employee", csv_bytes([["Табельный номер", "ФИО"], ["000555", "Новый"]])))
    with app.app_context():
        db.session.execute(ImportJob.__table__.update().values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
        db.session.remove()
    assert clerk.get(url).status_code == 302  # expired: gone for the clerk too
    _job_url(_upload(clerk, "employee", csv_bytes([["Табельный номер", "ФИО"], ["000556", "Другой"]])))
    with app.app_context():
        assert db.session.scalars(select(ImportJob.filename)).all() == ["file.csv"]
        assert len(db.session.scalars(select(ImportJob)).all()) == 1
        db.session.remove()


def test_template_has_the_export_headers_and_an_example_row(app, clerk, world):
    from openpyxl import load_workbook

    response = clerk.get("/admin/fuelcard/import/template/")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    with app.test_request_context():
        headers = [h for _, h, _ in view_for(app, "fuelcard").table_columns()]
    assert [c.value for c in sheet[1]] == headers
    assert sheet.cell(2, 1).value == "7005830012345678"
    # The template imports cleanly (its example card is the existing one here: unchanged).
    preview = run(app, "fuel_card", response.data, "fuelcard")
    assert errors_en(preview) == [] and preview.new + preview.changed + preview.unchanged == 1


@pytest.mark.parametrize("role", [Role.accountant, Role.viewer, Role.head])
def test_only_clerks_and_admins_import(client_as, world, role):
    client = client_as(role)
    assert 'id="import-tool"' not in client.get("/admin/asset/").get_data(as_text=True)
    assert client.get("/admin/asset/import/").status_code == 403
    assert client.get("/admin/asset/import/template/").status_code == 403
    assert client.post("/admin/asset/import/1/apply/").status_code == 403
    assert client.get("/admin/asset/import/1/").status_code == 403


def test_admin_may_import(admin_client, world):
    page = admin_client.get("/admin/asset/import/").get_data(as_text=True)
    assert 'accept=".xlsx,.xlsm,.xls,.ods,.csv,.txt"' in page  # the file picker shows every format read
