"""Every mutation path leaves change-log entries; details pages show a record's history; the log is read-only."""
import re
import pytest
from flask_admin.contrib.sqla import filters
from sqlalchemy import func, select

from models import Asset, AssetStatus, ChangeLogEntry, Department, Role, User, db
from models.changelog import begin_batch, record_changes
from tests import factories as f


def entries(entity, entity_id=None, action=None):
    query = select(ChangeLogEntry).where(ChangeLogEntry.entity == entity)
    if entity_id is not None:
        query = query.where(ChangeLogEntry.entity_id == entity_id)
    if action:
        query = query.where(ChangeLogEntry.action == action)
    return db.session.scalars(query.order_by(ChangeLogEntry.id)).all()


@pytest.fixture
def department_id(app, users):
    with app.app_context():
        dep = f.department(db.session, name="Бухгалтерия", code="BUH")
        db.session.commit()
        return dep.id


def test_form_create_edit_delete(app, clerk, users):
    assert clerk.post("/admin/department/new/", data={"name": "Канцелярия", "code": "KAN"}).status_code == 302
    with app.app_context():
        dep_id = db.session.scalar(select(Department.id).where(Department.code == "KAN"))
        (created,) = entries("department", dep_id, "create")
        assert created.username == "clerk" and created.user_id == users[Role.clerk]
        assert created.changes["name"] == [None, "Канцелярия"]
    response = clerk.post(f"/admin/department/edit/?id={dep_id}", data={"name": "Канцелярия и архив", "code": "KAN",
                                                                        "version": "1"})
    assert response.status_code == 302
    with app.app_context():
        (updated,) = entries("department", dep_id, "update")
        assert updated.changes == {"name": ["Канцелярия", "Канцелярия и архив"]}
    assert clerk.post("/admin/department/delete/", data={"id": dep_id}).status_code == 302
    with app.app_context():
        (deleted,) = entries("department", dep_id, "delete")
        assert deleted.changes["code"] == ["KAN", None]
        assert db.session.get(Department, dep_id) is None


def test_inline_edit(app, clerk, users):
    with app.app_context():
        asset_id = f.asset(db.session, name="Стол").id
        db.session.commit()
    assert clerk.post("/admin/asset/ajax/update/", data={"list_form_pk": asset_id, "name": "Стол угловой"}).status_code == 200
    with app.app_context():
        (entry,) = entries("asset", asset_id, "update")
        assert entry.changes == {"name": ["Стол", "Стол угловой"]} and entry.username == "clerk"


def test_delete_action(app, clerk, users):
    with app.app_context():
        ids = [f.department(db.session).id for _ in range(2)]
        db.session.commit()
    clerk.post("/admin/department/action/", data={"action": "delete", "rowid": ids})
    with app.app_context():
        deleted = [e for e in entries("department", action="delete")]
        assert sorted(e.entity_id for e in deleted) == sorted(ids)
        assert len({e.batch_id for e in deleted}) == 1  # one request, one batch


def test_cli_create_user(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "petrov", "--role", "accountant", "--password", "s3cret-pass",
                                 "--full-name", "Петров П. П."])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "petrov"))
        assert user.role is Role.accountant and user.full_name == "Петров П. П."
        (entry,) = entries("user_account", user.id, "create")
        assert entry.username == "cli"
        assert entry.changes["password_hash"] == [None, "***"]
        assert user.password_hash not in str(entry.changes)


def test_cli_create_user_prompts_and_refuses_duplicates(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "sidorov", "--role", "viewer"], input="pass-1234\npass-1234\n")
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["create-user", "sidorov", "--role", "viewer", "--password", "x"])
    assert again.exit_code != 0 and "already exists" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.username == "sidorov")) == 1


def test_service_function_and_set_based_record(ctx):
    from services.accounts import create_user

    user = create_user(ctx, "ivanov", "pw-12345678", Role.viewer)
    ctx.commit()
    (entry,) = entries("user_account", user.id, "create")
    assert entry.username == "test"
    batch = begin_batch(ctx, username="bulk")
    record_changes(ctx, "bulk_edit", "asset", {1: {"name": ["a", "b"]}, 2: {"name": ["c", "d"]}})
    ctx.commit()
    bulk = entries("asset", action="bulk_edit")
    assert [e.batch_id for e in bulk] == [batch.batch_id] * 2


def test_details_page_shows_history_with_labels(app, clerk, client_as, users):
    with app.app_context():
        person = f.employee(db.session, full_name="Сидорова Мария")
        asset = f.asset(db.session, name="Проектор")
        asset_id = asset.id
        db.session.commit()
        begin_batch(db.session, user=db.session.get(User, users[Role.clerk]))
        asset = db.session.get(Asset, asset_id)
        asset.status = AssetStatus.under_repair
        asset.responsible = person
        db.session.commit()
    page = client_as(Role.accountant).get(f"/admin/asset/details/?id={asset_id}").get_data(as_text=True)
    history = page[page.index('id="record-history"'):]
    assert "Clerk User" in history or "clerk" in history
    assert "В ремонте" in history          # enum label, not "under_repair"
    assert "Сидорова Мария" in history     # related record by name, not its id
    assert "Статус" in history             # field label
    assert "Изменено" in history or "Changed" in history


def test_change_log_is_read_only_for_everyone(app, client_as, department_id):
    with app.app_context():
        entry = entries("department", department_id)[0]
        entry_id, changes = entry.id, entry.changes
    for role in Role:
        client = client_as(role)
        for url, data in [
            (f"/admin/changelog/edit/?id={entry_id}", {"action": "update", "comment": "x"}),
            ("/admin/changelog/delete/", {"id": entry_id}),
            ("/admin/changelog/action/", {"action": "delete", "rowid": entry_id}),
            ("/admin/changelog/new/", {"action": "create"}),
            ("/admin/changelog/ajax/update/", {"list_form_pk": entry_id, "comment": "x"}),
        ]:
            assert client.post(url, data=data).status_code == 403, (role, url)
    with app.app_context():
        entry = db.session.get(ChangeLogEntry, entry_id)
        assert entry.changes == changes and entry.comment is None


@pytest.mark.parametrize("role,allowed", [(Role.admin, True), (Role.accountant, True), (Role.head, True),
                                          (Role.clerk, False), (Role.viewer, False)])
def test_who_reads_the_log(client_as, users, role, allowed):
    assert (client_as(role).get("/admin/changelog/").status_code == 200) is allowed


def test_log_filters_by_user_entity_action_date(app, client_as, department_id, clerk):
    clerk.post(f"/admin/department/edit/?id={department_id}", data={"name": "Бухгалтерия и учёт", "code": "BUH"})
    admin = client_as(Role.admin)
    with app.test_request_context():
        view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == "changelog")
        by_user = view.filter_args(("username", filters.FilterEqual, "clerk"))
        by_entity = view.filter_args(("entity", filters.FilterEqual, "department"),
                                     ("action", filters.FilterEqual, "update"))
        date_filter = next(type(flt) for flt in view._filters
                           if getattr(flt.column, "key", None) == "at" and "Greater" in type(flt).__name__)
        by_date = view.filter_args(("at", date_filter, "2000-01-01 00:00:00"))
    page = admin.get("/admin/changelog/", query_string=by_user).get_data(as_text=True)
    authors = re.findall(r'class="col-username">\s*(.*?)\s*</td>', page, re.S)
    assert "Бухгалтерия и учёт" in page and authors and set(authors) == {"clerk"}
    page = admin.get("/admin/changelog/", query_string=by_entity).get_data(as_text=True)
    actions = re.findall(r'class="col-action">\s*(.*?)\s*</td>', page, re.S)
    assert "Бухгалтерия и учёт" in page and set(actions) == {"Изменено"}
    page = admin.get("/admin/changelog/", query_string=by_date).get_data(as_text=True)
    assert "Бухгалтерия и учёт" in page


def test_log_list_names_related_records_and_actions(app, client_as, users):
    with app.app_context():
        begin_batch(db.session, username="clerk")
        asset = f.asset(db.session, name="Проектор Epson")
        asset.responsible = f.employee(db.session, full_name="Соколова Вера Павловна")
        db.session.commit()
    page = client_as(Role.admin).get("/admin/changelog/?search=").get_data(as_text=True)
    assert "Ответственное лицо</b>: — → Соколова Вера Павловна" in page
    assert "Создано" in page
