"""Test fixtures: one database per run (SQLite file, or PostgreSQL when DATABASE_URL says so),
emptied before every test; an app, clients logged in as each role, and small factories."""
import pytest
from sqlalchemy import text

from app import create_app
from models import Base, Role, db
from models.changelog import begin_batch
from services.accounts import create_user
from tests.scratch import scratch_database


@pytest.fixture(scope="session")
def database_uri():
    uri, drop = scratch_database("test")
    yield uri
    drop()


@pytest.fixture(scope="session")
def app(database_uri):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_uri, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "test", "JOBS_MODE": "immediate"})  # jobs run where queued (test_jobs: queues)
    with app.app_context():
        Base.metadata.create_all(db.engine)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def clean_database(app):
    """Every test starts from empty tables and leaves no session behind."""
    with app.app_context():
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        tables.sort(key=lambda t: t == "asset_tally")  # last: SQLite's delete triggers on asset append to it
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                # RESTRICT keys (a department's parent) would refuse a whole-table delete row by row.
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                for t in tables:
                    conn.execute(text(f'DELETE FROM "{t}"'))
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    yield


@pytest.fixture
def ctx(app):
    """An application context with a fresh change-log batch, for service and model tests."""
    with app.test_request_context():
        begin_batch(db.session, username="test")
        yield db.session
        db.session.rollback()
        db.session.remove()


PASSWORDS = {role: f"pw-{role.value}" for role in Role}


@pytest.fixture(autouse=True, scope="session")
def quick_password_hashes():
    """scrypt costs ~0.1 s a hash by design; tests make thousands of users, and check hashing, not its cost."""
    from unittest import mock

    import services.accounts
    from werkzeug.security import generate_password_hash

    def quick(password, method="pbkdf2:sha256:1", salt_length=8):
        return generate_password_hash(password, method=method, salt_length=salt_length)

    with mock.patch.object(services.accounts, "generate_password_hash", quick):
        yield


@pytest.fixture
def users(app):
    with app.app_context():
        begin_batch(db.session, username="test")
        made = {role: create_user(db.session, role.value, PASSWORDS[role], role, full_name=f"{role.value.title()} User")
                for role in Role}
        db.session.commit()
        ids = {role: user.id for role, user in made.items()}
        db.session.remove()
    return ids


def login(client, role: Role):
    response = client.post("/admin/login/", data={"username": role.value, "password": PASSWORDS[role]})
    assert response.status_code == 302, response.data[:500]
    return client


@pytest.fixture
def client_as(app, users):
    """``client_as(Role.clerk)`` gives a test client logged in with that role."""
    def make(role: Role):
        return login(app.test_client(), role)
    return make


@pytest.fixture
def clerk(client_as):
    return client_as(Role.clerk)


@pytest.fixture
def admin_client(client_as):
    return client_as(Role.admin)
