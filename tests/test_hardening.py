"""Login throttling, session cookie flags, the SECRET_KEY requirement and security headers."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from app import create_app
from models import FailedLogin, Role, db, utcnow
from tests.conftest import PASSWORDS


def attempt(client, password):
    return client.post("/admin/login/", data={"username": "clerk", "password": password})


def test_five_failures_lock_the_username_for_15_minutes(app, users):
    client = app.test_client()
    for _ in range(5):
        assert attempt(client, "wrong").status_code == 200
    refused = attempt(client, PASSWORDS[Role.clerk])
    assert refused.status_code == 200
    text = refused.get_data(as_text=True)
    assert "15" in text and "минут" in text
    assert client.get("/admin/").status_code == 302  # not logged in
    # Another username is not affected.
    assert app.test_client().post("/admin/login/", data={"username": "viewer", "password": PASSWORDS[Role.viewer]}
                                  ).status_code == 302
    # Fifteen minutes later the right password works again.
    with app.app_context():
        db.session.execute(update(FailedLogin).values(at=utcnow() - timedelta(minutes=16)))
        db.session.commit()
    assert attempt(client, PASSWORDS[Role.clerk]).status_code == 302


def test_session_cookie_flags(app, users):
    response = attempt(app.test_client(), PASSWORDS[Role.clerk])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        cookie = attempt(app.test_client(), PASSWORDS[Role.clerk]).headers["Set-Cookie"]
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
    assert "Secure" in cookie


def test_secure_cookie_from_environment(monkeypatch, database_uri):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    secured = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_uri})
    assert secured.config["SESSION_COOKIE_SECURE"] is True


def test_secret_key_required_outside_debug_and_tests(monkeypatch, database_uri):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_uri})
    monkeypatch.setenv("SECRET_KEY", "a-long-random-string")
    assert create_app({"SQLALCHEMY_DATABASE_URI": database_uri}).secret_key == "a-long-random-string"


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/", "/admin/asset/", "/admin/asset/new/"])
def test_security_headers_and_script_nonces(client_as, url):
    response = client_as(Role.clerk).get(url)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = response.get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
    assert not re.search(r"\son(click|submit|change|load)=", page)


def test_nonce_differs_per_request(client_as):
    client = client_as(Role.clerk)
    first = client.get("/admin/").headers["Content-Security-Policy"]
    second = client.get("/admin/").headers["Content-Security-Policy"]
    assert first != second
