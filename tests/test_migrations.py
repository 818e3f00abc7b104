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


def test_documents_migration_keeps_acts_their_signatories_and_lines(empty_database_uri):
    """0011 moves each act's chair and members into a commission; rebuilding tables loses no line."""
    from sqlalchemy import text

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_uri})
    with app.app_context():
        upgrade(revision="0006_depreciation")
        stamp = "'2026-01-01'"
        with db.engine.begin() as conn:
            for n, name in enumerate(("Смирнов", "Кузнецова", "Попов"), start=1):
                conn.execute(text(f"INSERT INTO employee (id, full_name, is_responsible, is_driver, is_active, "
                                  f"created_at, updated_at, version) VALUES ({n}, '{name}', true, false, true, "
                                  f"{stamp}, {stamp}, 1)"))
            conn.execute(text(f"INSERT INTO asset_category (id, name, balance_account, property_kind, created_at, "
                              f"updated_at, version) VALUES (1, 'ПК', '101.34', 'other_movable', {stamp}, {stamp}, 1)"))
            conn.execute(text(f"INSERT INTO write_off_act (id, year, number, act_date, form, reason, status, chair_id, "
                              f"created_at, updated_at, version) VALUES (1, 2026, 7, '2026-05-01', '0504104', 'wear', "
                              f"'draft', 1, {stamp}, {stamp}, 1)"))
            conn.execute(text("INSERT INTO write_off_commission VALUES (1, 2), (1, 3)"))
            conn.execute(text(f"INSERT INTO asset (id, inventory_number, name, category_id, book_value, depreciation, "
                              f"status, created_at, updated_at, version) VALUES (1, 'И1', 'ПК', 1, 100, 0, "
                              f"'pending_write_off', {stamp}, {stamp}, 1)"))
            conn.execute(text("INSERT INTO write_off_line (act_id, asset_id, inventory_number, name, book_value, "
                              "depreciation, residual_value, previous_status) VALUES (1, 1, 'И1', 'ПК', 100, 0, 100, "
                              "'in_use')"))
        upgrade()
        with db.engine.connect() as conn:
            chair, commission = conn.execute(text(
                "SELECT c.chair_id, c.id FROM write_off_act a JOIN commission c ON c.id = a.commission_id")).one()
            members = set(conn.scalars(text(f"SELECT employee_id FROM commission_member WHERE commission_id = "
                                             f"{commission}")))
            lines = conn.execute(text("SELECT balance_account FROM write_off_line")).all()
            last = conn.scalar(text("SELECT last FROM document_counter WHERE kind = 'write_off' AND year = 2026"))
        db.engine.dispose()
    assert (chair, members, [tuple(r) for r in lines], last) == (1, {2, 3}, [("101.34",)], 7)
