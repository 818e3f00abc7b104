"""A clerk opens the asset list, filters it by status and opens a record."""
from decimal import Decimal

import pytest

from models import AssetStatus, Role, db
from tests import factories as f


@pytest.fixture
def assets(app):
    with app.app_context():
        person = f.employee(db.session, full_name="Петрова Анна Сергеевна")
        f.asset(db.session, name="Ноутбук Lenovo", status=AssetStatus.in_use, responsible=person,
                book_value=Decimal("123456.78"))
        f.asset(db.session, name="Принтер HP", status=AssetStatus.under_repair)
        db.session.commit()
        db.session.remove()


def test_filter_by_status_and_open_record(page_as, live_server, assets):
    page = page_as(Role.clerk)
    page.goto(f"{live_server}/admin/asset/")
    assert page.locator("h4").first.inner_text().strip().endswith("Основные средства") or \
        "Основные средства" in page.content()
    assert page.locator("td:has-text('Ноутбук Lenovo')").count() == 1
    assert page.locator("td:has-text('Принтер HP')").count() == 1

    # The filter menu offers «Статус»; pick «В ремонте».
    page.click("text=Добавить фильтр")
    page.click(".field-filters a:has-text('Статус')")
    page.locator("select.filter-val").first.select_option(label="В ремонте", force=True)
    page.click("button:has-text('Применить')")
    page.wait_for_load_state()
    assert page.locator("td:has-text('Принтер HP')").count() == 1
    assert page.locator("td:has-text('Ноутбук Lenovo')").count() == 0

    # Back to everything, then open the laptop's record.
    page.goto(f"{live_server}/admin/asset/?search=Lenovo")
    page.locator("a[title='Просмотр записи']").first.click()
    page.wait_for_url("**/details/**")
    content = page.inner_text("body")
    assert "Ноутбук Lenovo" in content
    assert "Петрова Анна Сергеевна" in content
    assert "123\xa0456,78" in content or "123 456,78" in content
    assert "В эксплуатации" in content
