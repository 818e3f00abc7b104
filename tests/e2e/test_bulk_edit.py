"""A clerk ticks rows, «Изменить выбранные», ticks a field and sets it, previews, applies and sees the result."""
import pytest
from sqlalchemy import func, select

from models import Asset, AssetStatus, Role, db
from tests import factories as f


@pytest.fixture
def assets(app):
    with app.app_context():
        for name in ("Кресло A", "Кресло B", "Кресло C"):
            f.asset(db.session, name=name, status=AssetStatus.in_use)
        f.asset(db.session, name="Шкаф", status=AssetStatus.in_use)
        db.session.commit()
        db.session.remove()


def test_select_edit_preview_apply(page_as, live_server, assets, app):
    page = page_as(Role.clerk)
    page.goto(f"{live_server}/admin/asset/?search=Кресло")
    page.locator("input.action-checkbox").nth(0).check()
    page.locator("input.action-checkbox").nth(1).check()
    page.click("a.dropdown-toggle:has-text('С выбранным')")
    page.click("a:has-text('Изменить выбранные')")
    page.wait_for_selector("#bulk-edit-form")
    assert "2" in page.inner_text("#bulk-scope")

    page.check("#bulk_tick_status")
    page.locator("tr[data-field=status] select").select_option("in_storage", force=True)
    page.click("#bulk-preview")
    page.wait_for_selector("#bulk-summary")
    assert "2 из 2" in page.inner_text("#bulk-summary")
    counts = page.inner_text("table.bulk-counts")
    assert "В эксплуатации" in counts and "На складе" in counts

    page.click("#bulk-apply")
    page.wait_for_selector("#bulk-result")
    assert "2" in page.inner_text("#bulk-result")
    page.click("#bulk-result-list")
    page.wait_for_load_state()
    assert page.locator("td:has-text('На складе')").count() == 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Asset.status == AssetStatus.in_storage)) == 2
        db.session.remove()
