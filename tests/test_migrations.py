"""Migrations build the schema the models describe, on SQLite and on PostgreSQL."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from app import create_app
from models import Base, db
from tests.scratch import scratch_database


@pytest.fixture
def empty_database_uri():
    uri, drop = scratch_database("test_migrate")
    yield uri
    drop()


def test_upgrade_builds_exactly_the_models_schema(empty_database_uri):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_uri})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"
