"""Ticks survive paging: a clerk ticks one asset on page 1 and one on page 2, and «Экспорт выбранных в Excel»
writes exactly those two."""
import openpyxl
import pytest

from models import Role, db
from tests import factories as f


@pytest.fixture
def assets(app):
    with app.app_context():
        category = f.category(db.session)
        for n in range(1, 26):
            f.asset(db.session, inventory_number=f"ИН-{n:03d}", name=f"Стул {n}", category=category)
        db.session.commit()
        db.session.remove()


def test_ticks_on_two_pages_reach_the_export(page_as, live_server, assets, tmp_path):
    page = page_as(Role.clerk)
    page.goto(f"{live_server}/admin/asset/?page_size=20")
    page.locator("tr:has(td:text-is('ИН-003')) input.action-checkbox").check()
    page.goto(f"{live_server}/admin/asset/?page_size=20&page=1")
    page.locator("tr:has(td:text-is('ИН-024')) input.action-checkbox").check()
    status = page.locator("#selection-status")
    assert status.is_visible() and "Отмечено: 2" in status.inner_text()

    page.click("a.dropdown-toggle:has-text('С выбранным')")
    with page.expect_download() as info:
        page.click("a[data-model-action='export_xlsx']")
    path = tmp_path / "selected.xlsx"
    info.value.save_as(path)
    ws = openpyxl.load_workbook(path).active
    numbers = [row[0] for row in ws.iter_rows(min_row=2, values_only=True) if row[0] != "Итого"]
    assert numbers == ["ИН-003", "ИН-024"]
