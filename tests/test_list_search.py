"""List search, counts and filter lookups a clerk sees, the same on SQLite and PostgreSQL."""
import json
import re
from decimal import Decimal

from models import AssetStatus, db
from tests import factories as f


def rows(page: str) -> list[str]:
    """Inventory numbers in the rows of an asset list page."""
    return re.findall(r'<td class="col-inventory_number">\s*(.*?)\s*</td>', page, re.S)


def test_search_ignores_case_and_yo(app, clerk):
    with app.app_context():
        f.asset(db.session, inventory_number="ИН-1", name="Стул офисный")
        f.asset(db.session, inventory_number="ИН-2", name="Ёлка новогодняя")
        f.asset(db.session, inventory_number="ИН-3", name="Стол письменный")
        db.session.commit()
    assert rows(clerk.get("/admin/asset/?search=стул").get_data(as_text=True)) == ["ИН-1"]
    assert rows(clerk.get("/admin/asset/?search=СТУЛ").get_data(as_text=True)) == ["ИН-1"]
    assert rows(clerk.get("/admin/asset/?search=елка").get_data(as_text=True)) == ["ИН-2"]
    assert rows(clerk.get("/admin/asset/?search=ЁЛКА").get_data(as_text=True)) == ["ИН-2"]
    # Several words: each must be found; LIKE's wildcards are plain characters.
    assert rows(clerk.get("/admin/asset/?search=ст офис").get_data(as_text=True)) == ["ИН-1"]
    assert rows(clerk.get("/admin/asset/?search=%25").get_data(as_text=True)) == []


def test_exact_inventory_number_finds_that_record_only(app, clerk):
    with app.app_context():
        f.asset(db.session, inventory_number="ИН-7", name="Монитор")
        f.asset(db.session, inventory_number="ИН-77", name="Монитор")
        f.asset(db.session, inventory_number="ИН-770", name="Монитор")
        db.session.commit()
    assert rows(clerk.get("/admin/asset/?search=ИН-7").get_data(as_text=True)) == ["ИН-7"]
    assert rows(clerk.get("/admin/asset/?search=ин-77").get_data(as_text=True)) == ["ИН-77"]
    # Not a whole number: a fragment search, sorted as the list is.
    assert rows(clerk.get("/admin/asset/?search=Н-7").get_data(as_text=True)) == ["ИН-7", "ИН-77", "ИН-770"]


def test_exact_plate_with_latin_look_alikes(app, clerk):
    with app.app_context():
        f.vehicle(db.session, plate="А123ВС77")
        f.vehicle(db.session, plate="В456ОР77")
        db.session.commit()
    page = clerk.get("/admin/vehicle/?search=a123bc77").get_data(as_text=True)
    assert re.findall(r'<td class="col-plate">\s*(.*?)\s*</td>', page, re.S) == ["А123ВС77"]


def test_count_is_exact_under_the_cap_and_capped_above(app, clerk, monkeypatch):
    import admin_views.fastlist as fastlist

    with app.app_context():
        for n in range(6):
            f.asset(db.session, inventory_number=f"ИН-{n}", name="Стул" if n < 4 else "Стол",
                    status=AssetStatus.in_use, book_value=Decimal("10.00"))
        db.session.commit()
    page = clerk.get("/admin/asset/?search=стул").get_data(as_text=True)
    assert re.search(r"Список\s*\(4\)", page)
    monkeypatch.setattr(fastlist, "SEARCH_COUNT_CAP", 3)
    page = clerk.get("/admin/asset/?search=стул").get_data(as_text=True)
    assert re.search(r"Список\s*\(более 3\)", page)
    monkeypatch.setattr(fastlist, "COUNT_CAP", 4)
    page = clerk.get("/admin/asset/?flt0_0=in_use").get_data(as_text=True)  # a filter counts to its own cap
    assert re.search(r"Список\s*\(более 4\)", page)


def test_unfiltered_count_is_the_planners_estimate_on_postgres(app, clerk, monkeypatch):
    import admin_views.fastlist as fastlist

    with app.app_context():
        f.asset(db.session, inventory_number="ИН-1")
        db.session.commit()
        postgres = db.engine.dialect.name == "postgresql"
    monkeypatch.setattr(fastlist, "estimated_rows", lambda session, table: 1_234_567 if postgres else None)
    page = clerk.get("/admin/asset/").get_data(as_text=True)
    if postgres:
        assert re.search(r"Список\s*\(≈\xa01\xa0234\xa0567\)", page)
    else:  # SQLite keeps no estimate: its count of a table reads the smallest index
        assert re.search(r"Список\s*\(1\)", page)


def test_responsible_filter_ships_no_names_and_is_searched_as_you_type(app, clerk):
    with app.app_context():
        ivanov = f.employee(db.session, full_name="Иванов Пётр Сергеевич")
        f.employee(db.session, full_name="Сидорова Анна Ильинична")
        f.asset(db.session, inventory_number="ИН-1", responsible=ivanov)
        f.asset(db.session, inventory_number="ИН-2")
        db.session.commit()
        ivanov_id = ivanov.id
    page = clerk.get("/admin/asset/").get_data(as_text=True)
    assert "Сидорова" not in page
    groups = json.loads(re.search(r'<div id="filter-groups-data" class="d-none">(.*?)</div>', page, re.S).group(1))
    (responsible,) = [item for item in groups["Ответственное лицо"] if item["type"] == "khz-lookup"]
    answer = clerk.get(responsible["url"] + "&query=петр").get_json()
    assert answer == [[str(ivanov_id), "Иванов Пётр Сергеевич"]]
    assert clerk.get(responsible["url"] + "&query=ИЛЬИН").get_json()[0][1] == "Сидорова Анна Ильинична"

    # The filter applied: the list shows Ivanov's asset, and the box shows his name.
    page = clerk.get(f"/admin/asset/?flt0_{responsible['arg']}={ivanov_id}").get_data(as_text=True)
    assert rows(page) == ["ИН-1"]
    groups = json.loads(re.search(r'<div id="filter-groups-data" class="d-none">(.*?)</div>', page, re.S).group(1))
    (responsible,) = [item for item in groups["Ответственное лицо"] if item["type"] == "khz-lookup"]
    assert responsible["labels"] == {str(ivanov_id): "Иванов Пётр Сергеевич"}


def test_pickers_ignore_case_and_yo(app, clerk):
    with app.app_context():
        f.employee(db.session, full_name="Семёнов Артём")
        db.session.commit()
    answer = clerk.get("/admin/asset/ajax/lookup/?name=responsible&query=семенов").get_json()
    assert [label for _id, label in answer] == ["Семёнов Артём"]
