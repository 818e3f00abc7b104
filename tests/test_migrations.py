"""Migrations build the schema the models describe, on SQLite and on PostgreSQL."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from app import create_app
from models import Base, db
from models.search import TRIGRAM_COLUMNS, trigram_index_name
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
            # Trigram indexes are DDL of models/search.py, not metadata: checked by name below.
            context = MigrationContext.configure(conn, opts={"include_object": lambda obj, name, kind, *_: not (
                kind == "index" and name and name.endswith("_trgm"))})
            diff = compare_metadata(context, Base.metadata)
            trigram = set()
            if conn.dialect.name == "postgresql":
                trigram = set(conn.exec_driver_sql(
                    "SELECT indexname FROM pg_indexes WHERE right(indexname, 5) = '_trgm'").scalars())
        db.engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"
    if trigram:
        assert trigram == {trigram_index_name(t, c) for t, c in TRIGRAM_COLUMNS}
