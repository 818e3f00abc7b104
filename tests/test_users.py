"""Users view for administrators: roles, active flag, language, passwords set but never shown."""
import pytest
from sqlalchemy import select

from models import ChangeLogEntry, Language, Role, User, db
from services.accounts import authenticate
from tests.conftest import login


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def new_user(admin_client, **kw):
    data = {"username": "kuznetsova", "full_name": "Кузнецова Ольга", "role": "accountant", "language": "ru",
            "is_active": "y", "new_password": "long-enough-1", **kw}
    return admin_client.post("/admin/user/new/", data=data, follow_redirects=True)


def test_admin_creates_user_with_hashed_password(app, admin_client):
    new_user(admin_client)
    with app.app_context():
        made = user("kuznetsova")
        assert made.role is Role.accountant and made.is_active
        assert made.password_hash != "long-enough-1"
        assert authenticate(db.session, "kuznetsova", "long-enough-1") is made
        (entry,) = db.session.scalars(select(ChangeLogEntry).where(
            ChangeLogEntry.entity == "user_account", ChangeLogEntry.entity_id == made.id)).all()
        assert entry.username == "admin" and entry.changes["password_hash"] == [None, "***"]
        pw_hash, user_id = made.password_hash, made.id
    for url in ("/admin/user/", f"/admin/user/details/?id={user_id}", f"/admin/user/edit/?id={user_id}"):
        page = admin_client.get(url).get_data(as_text=True)
        assert pw_hash not in page and "password_hash" not in page
    assert "long-enough-1" not in admin_client.get(f"/admin/user/edit/?id={user_id}").get_data(as_text=True)


def test_new_user_needs_a_password(app, admin_client):
    page = new_user(admin_client, new_password="").get_data(as_text=True)
    assert "пароль" in page.lower()
    with app.app_context():
        assert user("kuznetsova") is None


def test_reset_password_and_keep_it_when_empty(app, admin_client, users):
    clerk_id = users[Role.clerk]
    base = {"username": "clerk", "full_name": "Clerk User", "role": "clerk", "language": "ru", "is_active": "y"}
    admin_client.post(f"/admin/user/edit/?id={clerk_id}", data={**base, "new_password": "brand-new-pass"})
    with app.app_context():
        assert authenticate(db.session, "clerk", "brand-new-pass") is not None
        (entry,) = db.session.scalars(select(ChangeLogEntry).where(
            ChangeLogEntry.entity == "user_account", ChangeLogEntry.entity_id == clerk_id,
            ChangeLogEntry.action == "update")).all()
        assert entry.changes == {"password_hash": ["***", "***"]}
        db.session.commit()
    admin_client.post(f"/admin/user/edit/?id={clerk_id}", data={**base, "role": "viewer", "new_password": ""})
    with app.app_context():
        assert user("clerk").role is Role.viewer
        assert authenticate(db.session, "clerk", "brand-new-pass") is not None
        db.session.commit()


def test_details_page_shows_password_change_as_stars(app, admin_client, users):
    clerk_id = users[Role.clerk]
    base = {"username": "clerk", "full_name": "Clerk User", "role": "clerk", "language": "ru", "is_active": "y"}
    admin_client.post(f"/admin/user/edit/?id={clerk_id}", data={**base, "new_password": "brand-new-pass"})
    page = admin_client.get(f"/admin/user/details/?id={clerk_id}").get_data(as_text=True)
    history = page[page.index('id="record-history"'):]
    assert "***" in history


def test_admin_cannot_lock_themselves_out(app, admin_client, users):
    admin_id = users[Role.admin]
    page = admin_client.post(f"/admin/user/edit/?id={admin_id}", follow_redirects=True, data={
        "username": "admin", "full_name": "Admin User", "role": "viewer", "language": "ru", "is_active": "y"}
    ).get_data(as_text=True)
    assert "администратор" in page.lower()
    with app.app_context():
        assert user("admin").role is Role.admin


@pytest.mark.parametrize("role", [Role.clerk, Role.accountant, Role.head, Role.viewer])
def test_only_admins_manage_users(client_as, users, role):
    client = client_as(role)
    assert client.get("/admin/user/").status_code == 403
    assert client.post("/admin/user/new/", data={"username": "x", "role": "admin", "new_password": "long-enough-1"}
                       ).status_code == 403


def test_inactive_user_cannot_log_in(app, users):
    with app.app_context():
        user("viewer").is_active = False
        db.session.commit()
    response = app.test_client().post("/admin/login/", data={"username": "viewer", "password": "pw-viewer"})
    assert response.status_code == 200 and "/admin/login/" in response.request.path


def test_preferred_language_applies_at_login(app, users):
    with app.app_context():
        user("viewer").language = Language.en
        db.session.commit()
    client = login(app.test_client(), Role.viewer)
    page = client.get("/admin/").get_data(as_text=True)
    assert "Log out" in page and "Выйти" not in page
    ru = login(app.test_client(), Role.clerk).get("/admin/").get_data(as_text=True)
    assert "Log out" not in ru
