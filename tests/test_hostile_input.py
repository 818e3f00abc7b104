"""Broken and hostile values get the panel's message, never a 500, a silent NULL or the database's words."""
import re

import pytest
from flask import abort

from app import create_app
from models import Asset, Building, Role, Room, db
from tests import factories as f


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def building_id(app, users):
    with app.app_context():
        building = f.building(db.session, name="Главный корпус")
        db.session.commit()
        return building.id


def building_form(**changes):
    data = {"name": "Главный корпус", "address": "ул. Ленина, 1", "right_of_use": "operational"}
    data.update(changes)
    return data


@pytest.mark.parametrize("value,message", [
    ("1e30", "Не число"), ("NaN", "Не число"), ("inf", "Не число"), ("1e309", "Не число"),
    ("-Infinity", "Не число"), ("99999999999", "не более 10 цифр до запятой"), ("-5", "не может быть отрицательной"),
    ("１２", "Не число"),
])
def test_numbers_are_finite_and_fit_the_column(client_as, app, building_id, value, message):
    clerk = client_as(Role.clerk)
    response = clerk.post(f"/admin/building/edit/?id={building_id}", data=building_form(total_area=value))
    assert response.status_code == 200
    assert message.lower() in text_of(response).lower()
    with app.app_context():
        assert db.session.get(Building, building_id).total_area is None
    assert clerk.get("/admin/building/").status_code == 200


def test_a_number_typed_the_russian_way_is_kept(client_as, app, building_id):
    response = client_as(Role.clerk).post(f"/admin/building/edit/?id={building_id}",
                                          data=building_form(total_area="1 234,5"))
    assert response.status_code == 302
    with app.app_context():
        assert str(db.session.get(Building, building_id).total_area) == "1234.50"


@pytest.mark.parametrize("value,message", [("٣", "Не целое число"), ("2147483648", "не может быть больше"),
                                           ("1_000", "Не целое число"), ("1850", "от 1900")])
def test_whole_numbers(client_as, app, users, value, message):
    with app.app_context():
        asset = f.asset(db.session)
        db.session.commit()
        asset_id, inventory, category = asset.id, asset.inventory_number, asset.category_id
    response = client_as(Role.clerk).post(f"/admin/asset/edit/?id={asset_id}", data={
        "inventory_number": inventory, "name": "Стол", "category": category, "book_value": "100",
        "depreciation": "0", "status": "in_use", "year_made": value})
    assert response.status_code == 200
    assert message.lower() in text_of(response).lower()


@pytest.mark.parametrize("value", ["01.01.0001", "31.12.9999", "01.01.1899"])
def test_dates_stay_plausible(client_as, app, users, value):
    with app.app_context():
        asset = f.asset(db.session)
        db.session.commit()
        asset_id, inventory, category = asset.id, asset.inventory_number, asset.category_id
    response = client_as(Role.clerk).post(f"/admin/asset/edit/?id={asset_id}", data={
        "inventory_number": inventory, "name": "Стол", "category": category, "book_value": "100",
        "depreciation": "0", "status": "in_use", "commissioned_on": value})
    assert response.status_code == 200
    assert "между 1900 и 2100" in text_of(response)


@pytest.mark.parametrize("field", ["responsible", "room"])
@pytest.mark.parametrize("value", ["987654", "abc", "²", "-1"])
def test_an_unknown_record_in_a_picker_is_a_field_error(client_as, app, users, field, value):
    with app.app_context():
        s = db.session
        room, person = f.room(s), f.employee(s)
        asset = f.asset(s, room=room, responsible=person)
        db.session.commit()
        asset_id, inventory, category = asset.id, asset.inventory_number, asset.category_id
        kept = {"responsible": person.id, "room": room.id}
    data = {"inventory_number": inventory, "name": "Стол", "category": category, "book_value": "100",
            "depreciation": "0", "status": "in_use", "responsible": kept["responsible"], "room": kept["room"]}
    data[field] = value
    response = client_as(Role.clerk).post(f"/admin/asset/edit/?id={asset_id}", data=data)
    assert response.status_code == 200
    assert "Такой записи нет" in text_of(response)
    with app.app_context():
        asset = db.session.get(Asset, asset_id)
        assert getattr(asset, f"{field}_id") == kept[field]  # never silently emptied


def test_an_unknown_drop_down_record_is_a_field_error(client_as, app, users):
    with app.app_context():
        room = f.room(db.session)
        db.session.commit()
        room_id = room.id
    response = client_as(Role.clerk).post(f"/admin/room/edit/?id={room_id}", data={"building": "987654",
                                                                                  "number": "5"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Room, room_id).building_id is not None


def test_control_characters_are_refused_and_blank_is_empty(client_as, app, building_id):
    clerk = client_as(Role.clerk)
    response = clerk.post(f"/admin/building/edit/?id={building_id}", data=building_form(name="Корпус\x1b[31m"))
    assert "управляющий символ" in text_of(response)
    response = clerk.post(f"/admin/building/edit/?id={building_id}", data=building_form(name="   "))
    assert response.status_code == 200
    assert "обязательное" in text_of(response).lower() or "required" in text_of(response).lower()
    with app.app_context():
        assert db.session.get(Building, building_id).name == "Главный корпус"
    response = clerk.post(f"/admin/building/edit/?id={building_id}",
                          data=building_form(name="  Корпус Б  ", cadastral_number="   "))
    assert response.status_code == 302
    with app.app_context():
        building = db.session.get(Building, building_id)
        assert building.name == "Корпус Б" and building.cadastral_number is None


def test_multi_line_text_keeps_its_newlines(client_as, app, users):
    with app.app_context():
        asset = f.asset(db.session)
        db.session.commit()
        asset_id, inventory, category = asset.id, asset.inventory_number, asset.category_id
    response = client_as(Role.clerk).post(f"/admin/asset/edit/?id={asset_id}", data={
        "inventory_number": inventory, "name": "Стол", "category": category, "book_value": "100",
        "depreciation": "0", "status": "in_use", "notes": "строка 1\r\nстрока 2\tконец"})
    assert response.status_code == 302
    with app.app_context():
        assert "строка 2" in db.session.get(Asset, asset_id).notes


def test_nul_anywhere_is_a_400_page_in_the_panel(client_as):
    clerk = client_as(Role.clerk)
    response = clerk.get("/admin/asset/?search=a%00b")
    assert response.status_code == 400
    page = text_of(response)
    assert "NUL" in page and "Хозчасть" in page


@pytest.mark.parametrize("url", ["/admin/asset/?flt0_0=nonexistent_status", "/admin/asset/?flt0_0=",
                                 "/admin/asset/?page=-5", "/admin/asset/?page=99999999999999999999&sort=-1",
                                 "/admin/asset/export/xlsx/?flt0_0=0.0", "/admin/asset/ajax/lookup/?name=room&offset=-5",
                                 "/admin/asset/details/?id=²", "/admin/asset/details/?id=99999999999",
                                 "/admin/asset/write-off/?ids=1&form=f9999999", "/admin/transfer/form/?id=٣"])
def test_odd_query_arguments_never_answer_500(client_as, users, url):
    response = client_as(Role.clerk).get(url)
    assert response.status_code in (200, 302, 400, 404)


def test_ticked_ids_that_are_not_ids_are_ignored(client_as, app, users):
    with app.app_context():
        asset = f.asset(db.session)
        db.session.commit()
        asset_id = asset.id
    response = client_as(Role.clerk).post("/admin/asset/action/", data={"action": "delete",
                                                                        "rowid": ["²", "١", "abc", str(asset_id)]})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Asset, asset_id) is None


def test_a_duplicate_is_named_without_the_databases_words(client_as, app, users):
    with app.app_context():
        one, two = f.asset(db.session), f.asset(db.session)
        db.session.commit()
        first, second_id, category = one.inventory_number, two.id, two.category_id
    response = client_as(Role.clerk).post(f"/admin/asset/edit/?id={second_id}", data={
        "inventory_number": first, "name": "Стол", "category": category, "book_value": "100",
        "depreciation": "0", "status": "in_use"})
    page = text_of(response)
    assert "уже" in page.lower()  # the form's own uniqueness check answers first
    for word in ("UNIQUE", "constraint", "INSERT", "UPDATE", "psycopg", "sqlite"):
        assert word not in page


def test_a_refusal_by_the_database_names_the_field(app, users):
    """When the database itself refuses (two clerks saving at once), the message names the field, not SQL."""
    from sqlalchemy.exc import IntegrityError

    from admin_views.base import database_refusal

    with app.app_context():
        one, two = f.asset(db.session), f.asset(db.session)
        db.session.commit()
        two.inventory_number = one.inventory_number
        with pytest.raises(IntegrityError) as refused:
            db.session.flush()
        db.session.rollback()
    with app.test_request_context():
        message = database_refusal(refused.value, Asset)
    assert message == "Запись с такими же значениями полей «Инвентарный номер» уже есть; ничего не сохранено."


def test_inline_edit_refusal_is_a_400_with_the_message(client_as, app, users):
    with app.app_context():
        asset = f.asset(db.session)
        db.session.commit()
        asset_id = asset.id
    response = client_as(Role.clerk).post("/admin/asset/ajax/update/", data={"list_form_pk": asset_id,
                                                                             "year_made": "1e30"})
    assert response.status_code == 400
    assert "Не целое число" in response.get_data(as_text=True)


# --- error pages ---------------------------------------------------------------------------------

@pytest.mark.parametrize("method,url,code,words", [
    ("GET", "/admin/no-such-page/", 404, "Такой страницы или записи нет"),
    ("GET", "/admin/logout/", 405, "не принимает такой запрос"),
    ("GET", "/admin/user/", 403, "Ваша роль не даёт доступа"),
])
def test_error_pages_in_the_panels_layout(client_as, method, url, code, words):
    response = client_as(Role.clerk).open(url, method=method)
    assert response.status_code == code
    page = response.get_data(as_text=True)
    assert words in text_of(response)
    assert 'id="error-page"' in page and "navbar" in page and "Traceback" not in page


def test_error_page_in_english_for_an_english_user(client_as):
    clerk = client_as(Role.clerk)
    clerk.get("/lang/en")
    response = clerk.get("/admin/no-such-page/")
    assert "There is no such page or record" in text_of(response)


def test_too_large_a_request_gets_the_panels_page(client_as, app):
    clerk = client_as(Role.clerk)
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    try:
        response = clerk.post("/admin/asset/import/", data={"file": (__import__("io").BytesIO(b"x" * (2 * 1024 * 1024)),
                                                                      "big.csv")},
                              content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 25 * 1024 * 1024
    assert response.status_code == 413
    assert "не более 1 МБ" in text_of(response)


def test_a_crash_is_a_500_page_without_details(database_uri):
    crashing = create_app({"TESTING": False, "PROPAGATE_EXCEPTIONS": False, "SQLALCHEMY_DATABASE_URI": database_uri,
                           "SECRET_KEY": "x"})

    @crashing.route("/boom")
    def boom():
        raise RuntimeError("SELECT secret FROM user_account -- internal detail")

    @crashing.route("/bad")
    def bad():
        abort(400)

    client = crashing.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Что-то пошло не так" in page and "secret" not in page and "Traceback" not in page
    assert client.get("/bad").status_code == 400
