"""Forms refuse bad identifiers with a specific message in the user's language and save nothing;
deletes that would orphan records are refused with a reason."""
from decimal import Decimal

from sqlalchemy import func, select

from models import Asset, Contract, Supplier, Vehicle, db
from tests import factories as f


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


SUPPLIER = {"full_name": "ООО «Ромашка»", "short_name": "Ромашка", "inn": "7707083893", "kpp": "773601001",
            "ogrn": "1027700132195", "bik": "044525225", "settlement_account": "40702810038000017240"}


def test_valid_supplier_is_saved(app, clerk):
    response = clerk.post("/admin/supplier/new/", data=SUPPLIER)
    assert response.status_code == 302
    assert _count(app, Supplier) == 1


def test_bad_inn_is_refused_with_a_russian_message(app, clerk):
    page = clerk.post("/admin/supplier/new/", data={**SUPPLIER, "inn": "7707083894"}).get_data(as_text=True)
    assert "ИНН: неверная контрольная сумма" in page
    assert _count(app, Supplier) == 0


def test_bad_account_key_and_ogrn_are_refused(app, clerk):
    page = clerk.post("/admin/supplier/new/", data={**SUPPLIER, "settlement_account": "40702810038000017241",
                                                     "ogrn": "1027700132196"}).get_data(as_text=True)
    assert "Расчётный счёт: контрольный ключ не соответствует БИК" in page
    assert "ОГРН/ОГРНИП: неверная контрольная сумма" in page
    assert _count(app, Supplier) == 0


def test_english_messages_on_request(app, clerk):
    clerk.get("/lang/en")
    page = clerk.post("/admin/supplier/new/", data={**SUPPLIER, "inn": "123"}).get_data(as_text=True)
    assert "INN: must be 10 or 12 digits" in page


def test_plate_latin_lookalikes_are_normalised(app, clerk):
    response = clerk.post("/admin/vehicle/new/", data={"plate": "a123bc 77", "make": "LADA", "model": "Vesta",
                                                       "fuel_type": "ai92", "status": "in_service"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Vehicle.plate)) == "А123ВС77"


def test_bad_vin_is_refused(app, clerk):
    page = clerk.post("/admin/vehicle/new/", data={"plate": "А123ВС77", "vin": "XTA21099O43456789", "make": "LADA",
                                                   "model": "Vesta", "fuel_type": "ai92",
                                                   "status": "in_service"}).get_data(as_text=True)
    assert "VIN: только латинские буквы и цифры, без I, O и Q" in page
    assert _count(app, Vehicle) == 0


def test_money_is_exact_with_a_decimal_comma(app, clerk):
    with app.app_context():
        cat_id = f.category(db.session).id
        db.session.commit()
    response = clerk.post("/admin/asset/new/", data={"inventory_number": "0001", "name": "Стол", "category": cat_id,
                                                     "book_value": "1 234 567,89", "depreciation": "0",
                                                     "status": "in_use"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        assert db.session.scalar(select(Asset.book_value)) == Decimal("1234567.89")
    page = clerk.get("/admin/asset/").get_data(as_text=True)
    assert "1\xa0234\xa0567,89" in page


def test_deleting_a_supplier_with_contracts_is_refused_naming_them(app, clerk):
    with app.app_context():
        supplier = f.supplier(db.session)
        f.contract(db.session, supplier=supplier)
        f.contract(db.session, supplier=supplier)
        db.session.commit()
        supplier_id = supplier.id
    page = clerk.post("/admin/supplier/delete/", data={"id": supplier_id}, follow_redirects=True).get_data(as_text=True)
    assert "Нельзя удалить" in page and "Договоры: 2" in page
    assert _count(app, Supplier) == 1 and _count(app, Contract) == 2


def test_dates_are_typed_and_shown_as_dd_mm_yyyy(app, clerk):
    with app.app_context():
        supplier_id = f.supplier(db.session).id
        db.session.commit()
    response = clerk.post("/admin/contract/new/", data={
        "number": "1-А", "signed_on": "28.11.2026", "supplier": supplier_id, "subject": "Бумага", "kind": "supply",
        "procurement_method": "quotation", "amount": "100,00", "status": "active", "ends_on": "31.12.2026"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        contract = db.session.scalar(select(Contract))
        assert str(contract.signed_on) == "2026-11-28" and str(contract.ends_on) == "2026-12-31"
        contract_id = contract.id
    page = clerk.get(f"/admin/contract/edit/?id={contract_id}").get_data(as_text=True)
    assert 'value="28.11.2026"' in page
