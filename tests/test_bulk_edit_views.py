"""Bulk edit, transfers and undo through the panel, as a clerk sees them."""
import io
import re
from datetime import date

import openpyxl
from sqlalchemy import func, select

from models import Asset, AssetStatus, ChangeLogEntry, Role, Transfer, db
from tests import factories as f


def _make(app, n=3, **kw):
    with app.app_context():
        person = f.employee(db.session, full_name="Петрова Анна")
        new = f.employee(db.session, full_name="Орлов Олег")
        ids = [f.asset(db.session, responsible=person, **kw).id for _ in range(n)]
        locked = f.asset(db.session, status=AssetStatus.written_off, responsible=person).id
        db.session.commit()
        return ids, locked, person.id, new.id


def test_selected_rows_preview_apply_result(app, clerk):
    ids, locked, old_id, new_id = _make(app)
    page = clerk.post("/admin/asset/action/", data={"action": "bulk_edit", "rowid": [str(i) for i in ids + [locked]]})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="bulk-edit-form"' in html and "Ответственное лицо" in html
    assert 'data-role="select2-ajax"' in html  # pickers search as you type

    form = {"step": "preview", "ids": ",".join(map(str, ids + [locked])), "bulk_tick_responsible": "1",
            "responsible": str(new_id), "bulk_tick_notes": "1", "notes": "Инвентаризация 2026"}
    preview = clerk.post("/admin/asset/bulk_edit/", data=form).get_data(as_text=True)
    assert "3 из 4" in preview or "3 of 4" in preview
    assert "Петрова Анна" in preview and "Орлов Олег" in preview
    assert 'id="bulk-refusals"' in preview and "Списано" in preview
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Asset.responsible_id == new_id)) == 0

    token = re.search(r'name="token" value="([^"]+)"', preview).group(1)
    applied = clerk.post("/admin/asset/bulk_edit/", data={"step": "apply", "token": token})
    assert applied.status_code == 302 and "/bulk_edit/result/?batch=" in applied.location
    result = clerk.get(applied.location).get_data(as_text=True)
    assert "Изменено записей: 3" in result or "Changed records: 3" in result
    batch = applied.location.split("batch=")[1]
    listing = clerk.get(f"/admin/asset/?batch={batch}").get_data(as_text=True)
    assert listing.count("Орлов Олег") == 3
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Asset.responsible_id == new_id)) == 3
        assert db.session.get(Asset, locked).responsible_id == old_id

    # Undo from the result page.
    undone = clerk.post("/admin/undo/", data={"batch": batch}).get_data(as_text=True)
    assert 'id="undo-summary"' in undone
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Asset.responsible_id == new_id)) == 0


def test_all_found_uses_search_and_validates(app, clerk):
    ids, _locked, _old, new_id = _make(app, n=2)
    with app.app_context():
        f.asset(db.session, name="Стол письменный")
        db.session.commit()
    listing = clerk.get("/admin/asset/?search=Компьютер").get_data(as_text=True)
    assert "Изменить все найденные (3)" in listing or "Edit all found (3)" in listing  # 2 + the written-off one
    page = clerk.get("/admin/asset/bulk_edit/?search=Компьютер").get_data(as_text=True)
    assert "3" in page and 'name="ids" value=""' in page
    # A non-nullable field cannot be cleared; an unknown amount is a form error, nothing is previewed.
    bad = clerk.post("/admin/asset/bulk_edit/?search=Компьютер",
                     data={"step": "preview", "bulk_tick_useful_life_months": "1", "useful_life_months": "abc"})
    assert 'id="bulk-errors"' in bad.get_data(as_text=True)
    none = clerk.post("/admin/asset/bulk_edit/?search=Компьютер", data={"step": "preview"})
    assert 'id="bulk-errors"' in none.get_data(as_text=True)
    ok = clerk.post("/admin/asset/bulk_edit/?search=Компьютер",
                    data={"step": "preview", "bulk_tick_status": "1", "status": "in_storage"}).get_data(as_text=True)
    assert "На складе" in ok and ("2 из 3" in ok or "2 of 3" in ok)
    assert 'value="written_off"' not in clerk.get("/admin/asset/bulk_edit/").get_data(as_text=True)


def test_over_500_requires_typed_count(app, clerk):
    with app.app_context():
        cat = f.category(db.session)
        db.session.execute(Asset.__table__.insert(), [
            {"inventory_number": f"M-{i:05d}", "name": "Стул", "category_id": cat.id, "book_value": 1000,
             "depreciation": 0, "status": "in_use", "version": 1} for i in range(501)])
        db.session.commit()
    preview = clerk.post("/admin/asset/bulk_edit/", data={"step": "preview", "bulk_tick_notes": "1",
                                                           "notes": "x"}).get_data(as_text=True)
    assert 'id="confirm_count"' in preview
    token = re.search(r'name="token" value="([^"]+)"', preview).group(1)
    refused = clerk.post("/admin/asset/bulk_edit/", data={"step": "apply", "token": token, "confirm_count": "500"})
    assert refused.status_code == 302 and "result" not in refused.location
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Asset.notes == "x")) == 0
    done = clerk.post("/admin/asset/bulk_edit/", data={"step": "apply", "token": token, "confirm_count": "501"})
    assert "result" in done.location
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Asset.notes == "x")) == 501


def test_tampered_token_and_readers_refused(app, clerk, client_as):
    ids, *_ = _make(app, n=1)
    page = clerk.post("/admin/asset/bulk_edit/", data={"step": "apply", "token": "forged"})
    assert page.status_code == 302
    accountant = client_as(Role.accountant)
    assert accountant.get("/admin/asset/bulk_edit/").status_code == 403
    assert "bulk-edit-found" not in accountant.get("/admin/asset/").get_data(as_text=True)
    assert accountant.post("/admin/undo/", data={"batch": "x"}).status_code == 403


def test_bulk_edit_on_every_switched_on_list(app, clerk):
    with app.app_context():
        f.vehicle(db.session), f.fuel_card(db.session), f.contract(db.session), f.employee(db.session)
        f.room(db.session)
        db.session.commit()
    for endpoint in ("vehicle", "fuelcard", "contract", "employee", "room"):
        assert clerk.get(f"/admin/{endpoint}/bulk_edit/").status_code == 200, endpoint
        assert "bulk-edit-found" in clerk.get(f"/admin/{endpoint}/").get_data(as_text=True)
    preview = clerk.post("/admin/employee/bulk_edit/", data={"step": "preview", "bulk_tick_is_driver": "1",
                                                              "is_driver": "y"}).get_data(as_text=True)
    assert "Да" in preview or "Yes" in preview


def test_transfer_action_creates_document_and_downloads_form(app, clerk, client_as):
    ids, locked, old_id, new_id = _make(app, n=2)
    page = clerk.post("/admin/asset/action/", data={"action": "transfer", "rowid": [str(i) for i in ids]})
    assert 'id="transfer-form"' in page.get_data(as_text=True)
    done = clerk.post("/admin/asset/transfer/", data={"ids": ",".join(map(str, ids)), "to_responsible": str(new_id),
                                                      "doc_date": "02.03.2026", "reason": "Приказ 5"})
    assert done.status_code == 302 and "/admin/transfer/details/" in done.location
    details = clerk.get(done.location).get_data(as_text=True)
    assert 'id="transfer-lines"' in details and "Петрова Анна" in details and "Орлов Олег" in details
    with app.app_context():
        transfer = db.session.scalar(select(Transfer))
        assert (transfer.number, transfer.doc_date) == (1, date(2026, 3, 2))
    asset_page = clerk.get(f"/admin/asset/details/?id={ids[0]}").get_data(as_text=True)
    assert 'id="asset-transfers"' in asset_page and "№ 1/2026" in asset_page

    accountant = client_as(Role.accountant)
    xlsx = accountant.get(f"/admin/transfer/form/?id={transfer.id}")
    assert xlsx.status_code == 200 and "0504102" in xlsx.headers["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Орлов Олег" in values and "Приказ 5" in values
    listing = accountant.get("/admin/transfer/").get_data(as_text=True)
    assert "Приказ 5" in listing
    assert accountant.get("/admin/transfer/new/").status_code in (302, 403)

    # Locked asset: refused with its reason, nothing written.
    refused = clerk.post("/admin/asset/transfer/", data={"ids": str(locked), "to_responsible": str(new_id),
                                                         "doc_date": "02.03.2026"}, follow_redirects=True)
    assert "Списано" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Transfer)) == 1


def test_changelog_undo_action(app, admin_client):
    ids, *_ = _make(app, n=2)
    with app.app_context():
        entry = db.session.scalar(select(ChangeLogEntry.id).where(ChangeLogEntry.entity == "asset"))
        batch = db.session.scalar(select(ChangeLogEntry.batch_id).where(ChangeLogEntry.id == entry))
    page = admin_client.get("/admin/changelog/").get_data(as_text=True)
    assert "undo_batch" in page
    go = admin_client.post("/admin/changelog/action/", data={"action": "undo_batch", "rowid": [str(entry)]})
    assert go.status_code == 302 and f"/admin/undo/?batch={batch}" in go.location
    confirm = admin_client.get(go.location).get_data(as_text=True)
    assert 'id="undo-form"' in confirm
    admin_client.post("/admin/undo/", data={"batch": batch})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Asset)) == 0
