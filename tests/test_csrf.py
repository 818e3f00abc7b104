"""Every state-changing request without a CSRF token is refused and changes nothing."""
import pytest
from sqlalchemy import func, select

from models import Asset, ChangeLogEntry, Role, db
from tests import factories as f


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def asset_id(app, users):
    with app.app_context():
        asset = f.asset(db.session, name="Шкаф")
        db.session.commit()
        return asset.id


def state():
    return (db.session.scalar(select(func.count()).select_from(ChangeLogEntry)),
            db.session.scalar(select(func.count()).select_from(Asset)),
            db.session.scalar(select(Asset.name)))


def test_posts_without_token_are_refused(app, client_as, asset_id, csrf_on):
    client = app.test_client()
    page = client.get("/admin/login/").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/admin/login/", data={"username": "clerk", "password": "pw-clerk",
                                               "csrf_token": token}).status_code == 302
    with app.app_context():
        before = state()
    attempts = [
        ("/admin/asset/new/", {"inventory_number": "ИН-NEW", "name": "Новый", "book_value": "1",
                               "status": "in_use"}),
        (f"/admin/asset/edit/?id={asset_id}", {"inventory_number": "ИН-1", "name": "Стул"}),
        ("/admin/asset/delete/", {"id": asset_id}),
        ("/admin/asset/action/", {"action": "delete", "rowid": asset_id}),
        ("/admin/asset/ajax/update/", {"list_form_pk": asset_id, "name": "Стул"}),
        ("/admin/logout/", {}),
    ]
    for url, data in attempts:
        response = client.post(url, data=data)
        assert response.status_code == 400, (url, response.status_code)
        assert b"CSRF" in response.data
    with app.app_context():
        assert state() == before
    # Still logged in: the logout without a token did not log out.
    assert client.get("/admin/asset/").status_code == 200


def test_login_without_token_is_refused(app, users, csrf_on):
    client = app.test_client()
    response = client.post("/admin/login/", data={"username": "clerk", "password": "pw-clerk"})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_pages_carry_the_token(app, client_as, asset_id):
    client = client_as(Role.clerk)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get("/admin/asset/").get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert 'name="csrf_token"' in page  # delete forms, action form, logout
    assert "data-csrf=" in page  # inline edit cells
