"""``flask backup`` / ``restore``: a backup put back gives the very rows that were backed up."""
import shutil

import pytest
from sqlalchemy import select

from models import Asset, Base, ChangeLogEntry, db
from tests import factories as f


def snapshot(session):
    """Every row of every table, as plain values."""
    return {table.name: sorted(tuple(repr(v) for v in row) for row in session.execute(select(table)).all())
            for table in Base.metadata.sorted_tables}


def test_restore_gives_back_what_was_backed_up(app, tmp_path):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed (apt-get install postgresql-client)")
    with app.app_context():
        f.asset(db.session, inventory_number="ИН-1", name="Стул «Престиж»", room=f.room(db.session),
                responsible=f.employee(db.session))
        f.vehicle(db.session)
        db.session.commit()
        before = snapshot(db.session)
        db.session.remove()
    runner = app.test_cli_runner()
    target = tmp_path / "khozchast.backup"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0

    with app.app_context():  # a day's work after the backup
        asset = db.session.scalars(select(Asset)).one()
        asset.name = "Стул сломан"
        f.asset(db.session, inventory_number="ИН-2")
        db.session.commit()
        assert snapshot(db.session) != before
        db.session.remove()

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert snapshot(db.session) == before
        assert db.session.scalars(select(Asset.name)).all() == ["Стул «Престиж»"]
        assert db.session.scalar(select(ChangeLogEntry.id).limit(1)) is not None
        db.session.remove()
