"""In a real browser: what an accountant can't do, a clerk's edit in the record's history, and pages that
run under our Content-Security-Policy without a single violation."""
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from models import Asset, Role, db
from tests import factories as f


@pytest.fixture
def asset_id(app, users):
    with app.app_context():
        asset = f.asset(db.session, name="Сканер Canon", book_value=Decimal("23000.00"),
                        responsible=f.employee(db.session), room=f.room(db.session))
        db.session.commit()
        return asset.id


def watch_console(page):
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def test_accountant_sees_no_change_controls_and_a_direct_post_is_refused(page_as, live_server, app, asset_id):
    page = page_as(Role.accountant)
    page.goto(f"{live_server}/admin/asset/")
    assert page.locator("td:has-text('Сканер Canon')").count() == 1
    assert page.locator("a[href*='/admin/asset/new/']").count() == 0
    assert page.locator("a[href*='/admin/asset/edit/']").count() == 0
    assert page.locator("form[action*='/admin/asset/delete/']").count() == 0
    assert page.locator("[data-role^='x-editable']").count() == 0
    assert page.locator("text=Отмеченные").count() == 0  # no batch actions menu
    page.goto(f"{live_server}/admin/asset/details/?id={asset_id}")
    assert page.locator("a[href*='/admin/asset/edit/']").count() == 0

    for url, form in [(f"/admin/asset/edit/?id={asset_id}", {"name": "Взлом"}),
                      ("/admin/asset/delete/", {"id": str(asset_id)}),
                      ("/admin/asset/ajax/update/", {"list_form_pk": str(asset_id), "name": "Взлом"}),
                      ("/admin/asset/action/", {"action": "delete", "rowid": str(asset_id)})]:
        response = page.request.post(f"{live_server}{url}", form=form, max_redirects=0)
        assert response.status == 403, url
    with app.app_context():
        assert db.session.get(Asset, asset_id).name == "Сканер Canon"


def test_clerk_edit_appears_in_history_with_the_clerks_name(page_as, live_server, asset_id):
    page = page_as(Role.clerk)
    problems = watch_console(page)
    page.goto(f"{live_server}/admin/asset/edit/?id={asset_id}")
    page.fill("#name", "Сканер Canon LiDE 300")
    page.fill("#serial_number", "CN-0042")
    with page.expect_navigation():
        page.click("input[type=submit].btn-primary")
    page.goto(f"{live_server}/admin/asset/details/?id={asset_id}")
    history = page.locator("#record-history")
    first_row = history.locator("tr.history-row").first
    assert first_row.locator(".history-who").inner_text().strip() == "clerk"
    assert "Изменено" in first_row.inner_text()
    changes = first_row.locator(".history-changes").inner_text()
    assert "Наименование" in changes or "Название" in changes
    assert "Сканер Canon → Сканер Canon LiDE 300" in changes
    assert "CN-0042" in changes
    assert not problems, problems


def test_inline_edit_works_under_csp_and_keeps_the_version(page_as, live_server, app, asset_id):
    page = page_as(Role.clerk)
    problems = watch_console(page)
    page.goto(f"{live_server}/admin/asset/")
    page.wait_for_load_state("load")
    cell = page.locator(f"a[data-role='x-editable'][data-pk='{asset_id}'][name='name']")
    assert cell.get_attribute("data-version") == "1"
    cell.click()
    page.fill(".editable-input input", "Сканер Epson")
    page.click(".editable-submit")
    expect(cell).to_have_attribute("data-version", "2")
    # A second inline edit of the row uses the version the first one returned, and is accepted.
    expect(page.locator(".editable-input")).to_have_count(0)
    cell.click()
    page.fill(".editable-input input", "Сканер Epson DS-1")
    page.click(".editable-submit")
    expect(cell).to_have_attribute("data-version", "3")
    with app.app_context():
        asset = db.session.get(Asset, asset_id)
        assert (asset.name, asset.version) == ("Сканер Epson DS-1", 3)
    assert not problems, problems


def test_no_csp_violations_on_the_panels_pages(page_as, live_server, asset_id):
    page = page_as(Role.clerk)
    problems = watch_console(page)
    for path in ["/admin/", "/admin/asset/", f"/admin/asset/details/?id={asset_id}",
                 f"/admin/asset/edit/?id={asset_id}", "/admin/asset/new/", "/admin/vehicle/", "/admin/employee/"]:
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("load")
    # Menus and filters are opened by script; none of it may trip the policy.
    page.goto(f"{live_server}/admin/asset/")
    page.click("text=Добавить фильтр")
    page.click(".field-filters a:has-text('Статус')")
    assert page.locator("select.filter-val").count() >= 1
    assert not problems, problems
    # Deleting asks for confirmation (a script handler now, not an inline one): dismissing keeps the record.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("form[action*='/admin/asset/delete/'] button").first.click()
    page.wait_for_timeout(300)
    assert page.locator("td:has-text('Сканер Canon')").count() == 1
    assert not problems, problems
