"""Sessions that end, a login redirect that stays on the site, no timing oracle, the lockout and its grace."""
from unittest import mock
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

import services.accounts
from models import Asset, FailedLogin, Role, User, db
from tests import factories as f
from tests.conftest import PASSWORDS, login

HOME = "/admin/asset/"


def captured_copy(app, client):
    """A second browser holding a copy of ``client``'s session cookie (as a thief would)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def logged_in(client) -> bool:
    response = client.get(HOME)
    if response.status_code == 302:
        assert "/admin/login/" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def test_a_cookie_captured_before_logout_is_refused_after_it(app, client_as):
    clerk = client_as(Role.clerk)
    thief = captured_copy(app, clerk)
    assert logged_in(thief)  # the copy works while the session lives
    with app.app_context():
        asset = f.asset(db.session, name="Стол")
        db.session.commit()
        asset_id = asset.id
    clerk.post("/admin/logout/")
    assert not logged_in(clerk)
    assert not logged_in(thief)
    # Edits with the old cookie go nowhere either.
    response = thief.post(f"/admin/asset/edit/?id={asset_id}", data={"name": "Стул"})
    assert response.status_code == 302 and "/admin/login/" in response.headers["Location"]
    response = thief.post("/admin/asset/ajax/update/", data={"list_form_pk": asset_id, "name": "Стул"})
    assert response.status_code in (302, 403)
    with app.app_context():
        assert db.session.get(Asset, asset_id).name == "Стол"


def test_logout_ends_the_users_sessions_in_other_browsers(app, client_as):
    desk = client_as(Role.clerk)
    laptop = client_as(Role.clerk)
    desk.post("/admin/logout/")
    assert not logged_in(laptop)
    assert logged_in(client_as(Role.clerk))  # logging in again works


def admin_edits(admin, user_id, **changes):
    with admin.application.app_context():
        user = db.session.get(User, user_id)
        data = {"username": user.username, "full_name": user.full_name, "role": user.role.value,
                "language": user.language.value, "is_active": "y" if user.is_active else ""}
    data.update(changes)
    if not data["is_active"]:
        data.pop("is_active")
    response = admin.post(f"/admin/user/edit/?id={user_id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


@pytest.mark.parametrize("change", [{"new_password": "a brand new password"}, {"role": "viewer"},
                                    {"is_active": ""}], ids=["password", "role", "disabled"])
def test_an_admins_change_ends_the_users_sessions(app, client_as, users, change):
    clerk = client_as(Role.clerk)
    thief = captured_copy(app, clerk)
    admin_edits(client_as(Role.admin), users[Role.clerk], **change)
    assert not logged_in(clerk)
    assert not logged_in(thief)


def test_a_change_of_name_keeps_the_sessions(app, client_as, users):
    clerk = client_as(Role.clerk)
    admin_edits(client_as(Role.admin), users[Role.clerk], full_name="Иванова Мария Петровна")
    assert logged_in(clerk)


def test_an_admin_changing_their_own_password_stays_logged_in_here_only(app, client_as, users):
    admin = client_as(Role.admin)
    other_browser = captured_copy(app, admin)
    admin_edits(admin, users[Role.admin], new_password="another long password")
    assert logged_in(admin)
    assert not logged_in(other_browser)


def test_a_forged_or_old_style_user_id_is_refused(app, users):
    from admin_views.auth import load_user

    with app.test_request_context():
        uid = users[Role.clerk]
        assert load_user(f"{uid}:1") is not None
        for value in (str(uid), f"{uid}:2", f"{uid}:0", "²:1", f"{uid}:¹", "", ":", f"{uid}:1:1", "99999999999:1"):
            assert load_user(value) is None, value


# --- the redirect after login ----------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "//evil.example/", "/\t/evil.example/", "/\n/evil.example", "/\\evil.example", "\\\\evil.example",
    "https://evil.example/", "javascript:alert(1)", "/\x00/evil.example", " //evil.example", "/\x7f/evil.example",
    "http:/evil.example", "evil.example",
])
def test_login_never_redirects_off_the_site(app, users, target):
    response = app.test_client().post("/admin/login/", query_string={"next": target},
                                      data={"username": "clerk", "password": PASSWORDS[Role.clerk]})
    if "\x00" in target:  # refused before the login runs, like NUL anywhere
        assert response.status_code == 400
        return
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_login_returns_to_a_local_page_with_its_query(app, users):
    response = app.test_client().post("/admin/login/", query_string={"next": "/admin/asset/?search=стол&page=2"},
                                      data={"username": "clerk", "password": PASSWORDS[Role.clerk]})
    assert unquote(response.headers["Location"]) == "/admin/asset/?search=стол&page=2"


# --- no timing oracle -------------------------------------------------------------------------

def test_unknown_usernames_cost_one_password_hash_like_real_ones(app, users):
    real = services.accounts.check_password_hash
    with app.test_request_context(), mock.patch.object(services.accounts, "check_password_hash",
                                                       side_effect=real) as checked:
        for username in ("clerk", "nobody-at-all"):
            checked.reset_mock()
            assert services.accounts.authenticate(db.session, username, "wrong") is None
            assert checked.call_count == 1, username
        db.session.rollback()


def test_a_disabled_user_costs_a_hash_too(app, users):
    with app.app_context():
        db.session.get(User, users[Role.viewer]).is_active = False
        db.session.commit()
    real = services.accounts.check_password_hash
    with app.test_request_context(), mock.patch.object(services.accounts, "check_password_hash",
                                                       side_effect=real) as checked:
        assert services.accounts.authenticate(db.session, "viewer", PASSWORDS[Role.viewer]) is None
        assert checked.call_count == 1
        db.session.rollback()


# --- lockout per username, per client, and the grace for the user's own browser -------------------

def attempt(client, username, password, address="127.0.0.1"):
    return client.post("/admin/login/", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_a_client_guessing_many_usernames_is_locked_out(app, users):
    guesser = app.test_client()
    for n in range(services.accounts.MAX_CLIENT_FAILURES):
        attempt(guesser, f"user{n}", "wrong", address="127.0.0.9")
    refused = attempt(guesser, "viewer", PASSWORDS[Role.viewer], address="127.0.0.9")
    assert refused.status_code == 200 and "15" in refused.get_data(as_text=True)
    # The same user from another address is not affected.
    assert attempt(app.test_client(), "viewer", PASSWORDS[Role.viewer], address="127.0.0.10").status_code == 302
    with app.app_context():
        clients = set(db.session.scalars(select(FailedLogin.client)))
    assert clients == {"127.0.0.9"}


def test_the_users_own_browser_keeps_working_while_strangers_lock_the_username(app, users):
    own = app.test_client()
    assert attempt(own, "clerk", PASSWORDS[Role.clerk]).status_code == 302  # the browser becomes known
    own.post("/admin/logout/")
    stranger = app.test_client()
    for _ in range(services.accounts.MAX_FAILURES):
        attempt(stranger, "clerk", "guess", address="127.0.0.7")
    # The stranger, even with the right password now, is refused; so is any other unknown browser.
    assert attempt(stranger, "clerk", PASSWORDS[Role.clerk], address="127.0.0.7").status_code == 200
    assert attempt(app.test_client(), "clerk", PASSWORDS[Role.clerk]).status_code == 200
    # The clerk's own browser logs in.
    assert attempt(own, "clerk", PASSWORDS[Role.clerk]).status_code == 302
    assert logged_in(own)


def test_the_known_browser_is_locked_by_its_own_failures(app, users):
    own = app.test_client()
    attempt(own, "clerk", PASSWORDS[Role.clerk])
    own.post("/admin/logout/")
    for _ in range(services.accounts.MAX_FAILURES):
        attempt(own, "clerk", "typo")
    assert attempt(own, "clerk", PASSWORDS[Role.clerk]).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FailedLogin)
                                 .where(FailedLogin.device.is_not(None))) == services.accounts.MAX_FAILURES


def test_the_known_browser_token_is_for_one_username(app, users):
    own = app.test_client()
    attempt(own, "clerk", PASSWORDS[Role.clerk])
    for _ in range(services.accounts.MAX_FAILURES):
        attempt(app.test_client(), "viewer", "guess", address="127.0.0.8")
    assert attempt(own, "viewer", PASSWORDS[Role.viewer]).status_code == 200  # clerk's browser, viewer's lock


def test_login_starts_a_fresh_session(app, users):
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["planted"] = "by someone else"
    login(client, Role.clerk)
    with client.session_transaction() as sess:
        assert "planted" not in sess
