"""Who may do what: every view registered on the Admin object × every role × every operation.

Expectations come from each view's declarations (read_roles, write_roles, export_roles,
allow_create/edit/delete, column_editable_list, endpoint_operations, action_operations), and the
walk takes the endpoints from the view itself, so a view or endpoint added later is covered without
anyone editing this file. A refused request must answer 403 and leave the database as it was."""
import re

import pytest
from flask import url_for
from sqlalchemy import func, select

from models import Asset, ChangeLogEntry, Role, db
from tests import factories as f

PUBLIC_ENDPOINTS = {"login", "logout"}  # the login page and logout work without a session
MISSING_ID = "987654"
READ_ENDPOINTS = {"index_view", "details_view", "ajax_lookup"}
WRITE_ENDPOINTS = {"create_view": "allow_create", "edit_view": "allow_edit", "delete_view": "allow_delete"}


def admin_views(app):
    (admin,) = app.extensions["admin"]
    return [admin.index_view] + [v for v in admin._views if v is not admin.index_view]


@pytest.fixture
def records(app, users):
    """One record of every model (factories where we have them; the log and users exist anyway)."""
    with app.app_context():
        s = db.session
        f.asset(s, room=f.room(s), responsible=f.employee(s), department=f.department(s))
        f.vehicle(s)
        f.fuel_card(s)
        f.contract(s)
        db.session.commit()
        ids = {}
        for view in admin_views(app):
            model = getattr(view, "model", None)
            if model is not None:
                ids[view.endpoint] = s.scalar(select(func.min(getattr(model, view._primary_key))))
        db.session.remove()
    return ids


def log_size():
    return db.session.scalar(select(func.count()).select_from(ChangeLogEntry))


def expected(view, name, role, action=None):
    """May ``role`` use endpoint ``name`` of ``view``, by the view's own declarations?"""
    if role not in view.read_roles:
        return False
    if not hasattr(view, "model"):
        return True  # pages that are not model views (home page): readers may use all of them
    writer = role in view.write_roles
    declared = view.declared("endpoint_operations")
    if name in READ_ENDPOINTS:
        return True
    if name in WRITE_ENDPOINTS:
        return writer and getattr(view, WRITE_ENDPOINTS[name])
    if name == "ajax_update":
        return writer and view.allow_edit and bool(view.column_editable_list)
    if name == "action_view":
        if action is None:
            return False
        operation = view.declared("action_operations").get(action) or ("delete" if action == "delete" else "write")
        return expected_operation(view, operation, role)
    operation = declared.get(name) or ("export" if name.startswith("export") else "write")
    return expected_operation(view, operation, role)


def expected_operation(view, operation, role):
    if operation == "read":
        return True
    if operation == "export":
        return role in view.export_roles
    if operation in ("create", "edit", "delete"):
        return role in view.write_roles and getattr(view, f"allow_{operation}")
    return role in getattr(view, f"{operation}_roles", view.write_roles)


def requests_for(view, name, methods, record_id, allowed_guess):
    """(method, url, data, label) for one endpoint. Refused roles aim at the real record (so a leak
    would change it); allowed ones at a missing id, so the walk itself changes nothing."""
    rule_args = {"export_type": "xlsx", "job_id": MISSING_ID}  # an import job nobody has
    base = url_for(f"{view.endpoint}.{name}", **{k: v for k, v in rule_args.items()
                                                    if k in endpoint_arguments(view, name)})
    target = MISSING_ID if allowed_guess else str(record_id or MISSING_ID)
    out = []
    if "GET" in methods:
        query = f"?id={record_id}" if name in ("details_view", "edit_view") and record_id else ""
        out.append(("GET", base + query, None, name))
    if "POST" in methods:
        if name == "edit_view":
            out.append(("POST", f"{base}?id={target}", {"name": "changed by the walk"}, name))
        elif name == "delete_view":
            out.append(("POST", base, {"id": target}, name))
        elif name == "ajax_update":
            column = next(iter(view.column_editable_list or ["name"]))
            out.append(("POST", base, {"list_form_pk": target, column: "changed by the walk"}, name))
        elif name != "action_view":
            out.append(("POST", base, {}, name))
    return out


def endpoint_arguments(view, name):
    for url, endpoint, _methods in view._urls:
        if endpoint == name:
            return set(re.findall(r"<(?:\w+:)?(\w+)>", url))
    return set()


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_view_every_operation(app, client_as, records, role):
    client = client_as(role)
    problems = []
    walked = 0
    with app.test_request_context():
        views = admin_views(app)
        for view in views:
            if view.endpoint in PUBLIC_ENDPOINTS:
                continue
            record_id = records.get(view.endpoint)
            for _url, name, methods in view._urls:
                methods = set(methods or ("GET",))
                if name == "action_view":
                    actions = [a for a, _ in view._actions] or ["delete"]
                    for action in actions:
                        allowed = expected(view, name, role, action)
                        target = MISSING_ID if allowed else str(record_id or MISSING_ID)
                        calls = [("POST", url_for(f"{view.endpoint}.action_view"),
                                  {"action": action, "rowid": target}, f"action {action}")]
                        problems += check(client, view, calls, allowed)
                        walked += 1
                    continue
                allowed = expected(view, name, role)
                calls = requests_for(view, name, methods, record_id, allowed)
                problems += check(client, view, calls, allowed)
                walked += len(calls)
    assert walked > 100
    assert not problems, "\n".join(problems)


def check(client, view, calls, allowed):
    problems = []
    for method, url, data, label in calls:
        before = log_size()
        response = client.open(url, method=method, data=data)
        location = response.headers.get("Location", "")
        refused = response.status_code == 403
        sent_to_login = response.status_code == 302 and "/admin/login/" in location
        if allowed and (refused or sent_to_login):
            problems.append(f"{view.endpoint} {label} {method}: refused ({response.status_code}) but allowed")
        if not allowed:
            if not refused:
                problems.append(f"{view.endpoint} {label} {method}: answered {response.status_code}, expected 403")
            if log_size() != before:
                problems.append(f"{view.endpoint} {label} {method}: refused, yet the change log grew")
    db.session.remove()
    return problems


def test_every_registered_view_is_walked(app):
    """Every registered view is either a public page or declares read_roles."""
    for view in admin_views(app):
        assert view.endpoint in PUBLIC_ENDPOINTS or hasattr(view, "read_roles"), view.endpoint


@pytest.fixture
def asset_id(app, users):
    with app.app_context():
        asset = f.asset(db.session, name="Стол письменный")
        db.session.commit()
        return asset.id


@pytest.mark.parametrize("role", [Role.accountant, Role.viewer, Role.head])
def test_readers_cannot_change_an_asset_by_any_route(app, client_as, asset_id, role):
    client = client_as(role)
    attempts = [
        ("/admin/asset/ajax/update/", {"list_form_pk": asset_id, "name": "Стул"}),
        ("/admin/asset/action/", {"action": "delete", "rowid": asset_id}),
        ("/admin/asset/delete/", {"id": asset_id}),
        (f"/admin/asset/edit/?id={asset_id}", {"name": "Стул", "inventory_number": "X-1"}),
        ("/admin/asset/new/", {"name": "Стул", "inventory_number": "X-2"}),
    ]
    for url, data in attempts:
        assert client.post(url, data=data).status_code == 403, url
    with app.app_context():
        assert db.session.get(Asset, asset_id).name == "Стол письменный"
        assert db.session.scalar(select(func.count()).select_from(Asset)) == 1


@pytest.mark.parametrize("role", [Role.accountant, Role.viewer, Role.head])
def test_readers_see_no_change_controls(client_as, asset_id, role):
    page = client_as(role).get("/admin/asset/").get_data(as_text=True)
    assert "Стол письменный" in page
    assert "/admin/asset/new/" not in page
    assert "/admin/asset/edit/" not in page
    assert "/admin/asset/delete/" not in page
    assert 'data-role="x-editable"' not in page
    # The only batch action a reader gets is taking the ticked rows to Excel.
    offered = set(re.findall(r'data-model-action="(\w+)"', page))
    assert offered <= {"export_xlsx"}, offered
    assert "Экспорт выбранных в Excel" in page
    details = client_as(role).get(f"/admin/asset/details/?id={asset_id}").get_data(as_text=True)
    assert "/admin/asset/edit/" not in details


def test_clerk_sees_change_controls(clerk, asset_id):
    page = clerk.get("/admin/asset/").get_data(as_text=True)
    assert "/admin/asset/new/" in page and "/admin/asset/edit/" in page and 'data-role="x-editable"' in page


@pytest.mark.parametrize("role,menu", [(Role.admin, True), (Role.clerk, False), (Role.accountant, False)])
def test_users_menu_only_for_admins(client_as, role, menu):
    page = client_as(role).get("/admin/").get_data(as_text=True)
    assert ("/admin/user/" in page) is menu


def test_anonymous_crawl_of_every_admin_url(app, records):
    """Every /admin URL (all views, all endpoints, GET and POST) sends a visitor without a session
    to the login page or answers 403; none answers with data."""
    client = app.test_client()
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or rule.endpoint.split(".")[0] in PUBLIC_ENDPOINTS \
                or rule.endpoint == "admin.static":
            continue
        view_endpoint = rule.endpoint.split(".")[0]
        url = rule.rule
        for argument in rule.arguments:
            url = re.sub(rf"<(?:\w+:)?{argument}>", "xlsx" if argument == "export_type" else "1", url)
        record_id = records.get(view_endpoint) or 1
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(f"{url}?id={record_id}", method=method,
                                   data={"id": record_id, "list_form_pk": record_id, "action": "delete",
                                         "rowid": record_id})
            location = response.headers.get("Location", "")
            assert response.status_code == 403 or (
                response.status_code == 302 and location.split("?")[0].endswith("/admin/login/")
            ), (method, url, response.status_code, location)
            checked += 1
    assert checked > 80
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Asset)) == 1
