"""A clerk filters the asset list by a responsible person typed in the filter box, and a large export
becomes a job whose file waits under «Мои задания»."""
import pytest

from models import Role, db
from tests import factories as f


@pytest.fixture
def assets(app):
    with app.app_context():
        petrova = f.employee(db.session, full_name="Петрова Анна Сергеевна")
        f.employee(db.session, full_name="Сёмин Олег Петрович")
        f.asset(db.session, name="Ноутбук Lenovo", responsible=petrova)
        for n in range(4):
            f.asset(db.session, name=f"Стул {n}")
        db.session.commit()
        db.session.remove()


def test_responsible_filter_is_searched_as_you_type(page_as, live_server, assets):
    page = page_as(Role.clerk)
    page.goto(f"{live_server}/admin/asset/")
    assert "Сёмин" not in page.content()  # no names shipped with the page
    page.click("text=Добавить фильтр")
    page.click(".field-filters a:has-text('Ответственное лицо')")
    page.locator(".select2-container.filter-val, .filter-val.select2-container").first.click()
    page.keyboard.type("петр")
    option = page.locator(".select2-result-label:has-text('Петрова Анна Сергеевна')")
    option.wait_for()
    page.locator(".select2-result-label").first.click()
    page.click("button:has-text('Применить')")
    page.wait_for_load_state()
    assert page.locator("td:has-text('Ноутбук Lenovo')").count() == 1
    assert page.locator("td:has-text('Стул')").count() == 0
    # The applied filter shows the person's name, not a number.
    page.screenshot(path="/tmp/perf15_lookup.png")
    assert "Петрова Анна Сергеевна" in page.locator("#filter_form").inner_text()


def test_large_export_shows_its_job_and_file(page_as, live_server, assets, app):
    app.config["EXPORT_JOB_ROWS"] = 2
    try:
        page = page_as(Role.clerk)
        page.goto(f"{live_server}/admin/asset/")
        page.click("#export-xlsx")
        page.wait_for_url("**/admin/jobs/**")
        row = page.locator("tr.job").first
        assert "Экспорт в Excel: Основные средства" in row.inner_text()
        assert "100%" in row.inner_text() and "Готово" in row.inner_text()
        with page.expect_download() as download:
            row.locator("a:has-text('.xlsx')").click()
        assert download.value.suggested_filename.endswith(".xlsx")
    finally:
        app.config["EXPORT_JOB_ROWS"] = 10_000


def test_running_job_shows_its_bar_rows_and_estimate(page_as, live_server, app, users):
    from datetime import timedelta

    from models import Job, JobStatus, utcnow

    with app.app_context():
        db.session.add(Job(owner_id=users[Role.clerk], kind="export", title="Экспорт в Excel: Основные средства",
                           params={}, status=JobStatus.running, rows_done=400_000, rows_total=1_000_000,
                           started_at=utcnow() - timedelta(seconds=20)))
        db.session.commit()
        db.session.remove()
    page = page_as(Role.clerk)
    page.goto(f"{live_server}/admin/jobs/")
    row = page.locator("tr.job").first
    text = row.inner_text()
    assert "40%" in text and "400 000 из 1 000 000 строк" in text.replace("\xa0", " ")
    import re
    left = int(re.search(r"осталось около (\d+) с", text).group(1))
    assert 30 <= left <= 90  # 20 s (and the time the page took) for 40 %: 1.5 times that for the other 60 %
    page.screenshot(path="/tmp/perf15/jobs_running.png")
