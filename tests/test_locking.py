"""Optimistic locking: of two people editing one record, the second save is refused; nothing is overwritten."""
import re

import pytest

from models import Asset, Role, db
from tests import factories as f


@pytest.fixture
def asset(app, users):
    with app.app_context():
        asset = f.asset(db.session, name="Ноутбук", serial_number="SN-1")
        db.session.commit()
        ids = {"id": asset.id, "category": asset.category_id, "inventory_number": asset.inventory_number}
        db.session.remove()
    return ids


def form_version(page: str) -> str:
    return re.search(r'<input id="version" name="version" type="hidden" value="(\d+)"', page).group(1)


def edit(client, asset, version, **changes):
    data = {"inventory_number": asset["inventory_number"], "name": "Ноутбук", "category": asset["category"],
            "book_value": "55000.00", "depreciation": "0.00", "status": "in_use", "useful_life_months": "36",
            "commissioned_on": "2024-03-15", "version": version, **changes}
    return client.post(f"/admin/asset/edit/?id={asset['id']}", data=data, follow_redirects=True)


def test_second_save_is_refused_and_first_survives(app, client_as, asset):
    clerk, admin = client_as(Role.clerk), client_as(Role.admin)
    first = form_version(clerk.get(f"/admin/asset/edit/?id={asset['id']}").get_data(as_text=True))
    second = form_version(admin.get(f"/admin/asset/edit/?id={asset['id']}").get_data(as_text=True))
    assert first == second

    saved = edit(clerk, asset, first, name="Ноутбук Lenovo")
    assert "Ноутбук Lenovo" in saved.get_data(as_text=True)

    refused = edit(admin, asset, second, name="Ноутбук HP").get_data(as_text=True)
    assert "изменил" in refused or "changed" in refused
    assert 'id="conflict-reload"' in refused
    assert f"/admin/asset/edit/?id={asset['id']}" in refused
    with app.app_context():
        assert db.session.get(Asset, asset["id"]).name == "Ноутбук Lenovo"

    # Reloading gives the current version; saving from it works.
    current = form_version(admin.get(f"/admin/asset/edit/?id={asset['id']}").get_data(as_text=True))
    assert int(current) == int(first) + 1
    edit(admin, asset, current, name="Ноутбук HP")
    with app.app_context():
        assert db.session.get(Asset, asset["id"]).name == "Ноутбук HP"


def test_race_after_the_check_is_caught_by_the_version_column(app, client_as, asset):
    """The record changes between the form's check and the commit: SQLAlchemy's versioned UPDATE
    matches no row, and the user gets the same message."""
    from sqlalchemy import event, update
    from sqlalchemy.orm import Session

    clerk = client_as(Role.clerk)
    version = form_version(clerk.get(f"/admin/asset/edit/?id={asset['id']}").get_data(as_text=True))

    done = []

    def someone_else_saves(session, flush_context, instances):
        if done:
            return
        done.append(True)
        with db.engine.begin() as conn:
            conn.execute(update(Asset).where(Asset.id == asset["id"])
                         .values(name="Чужая правка", version=Asset.version + 1))

    event.listen(Session, "before_flush", someone_else_saves)
    try:
        page = edit(clerk, asset, version, name="Моя правка").get_data(as_text=True)
    finally:
        event.remove(Session, "before_flush", someone_else_saves)
    assert done
    assert 'id="conflict-reload"' in page or "изменил" in page
    with app.app_context():
        assert db.session.get(Asset, asset["id"]).name == "Чужая правка"


def test_inline_edit_carries_the_version(app, clerk, asset):
    page = clerk.get("/admin/asset/").get_data(as_text=True)
    assert 'data-version="1"' in page
    ok = clerk.post("/admin/asset/ajax/update/", data={"list_form_pk": asset["id"], "name": "Ноутбук 2",
                                                        "version": "1"})
    assert ok.status_code == 200
    assert ok.headers["X-Record-Version"] == "2"
    stale = clerk.post("/admin/asset/ajax/update/", data={"list_form_pk": asset["id"], "name": "Ноутбук 3",
                                                           "version": "1"})
    assert stale.status_code == 400  # the user's stale value: refused with the message, not a server error
    assert "изменил" in stale.get_data(as_text=True) or "changed" in stale.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Asset, asset["id"]).name == "Ноутбук 2"
