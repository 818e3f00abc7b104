"""A clerk ticks three assets, «Списать», fills the draft and creates the act; the head approves it
and downloads the act as a workbook with three lines."""
import io

import openpyxl
import pytest

from models import AssetStatus, Role, WriteOffAct, db
from tests import factories as f


@pytest.fixture
def office(app):
    with app.app_context():
        from models.changelog import begin_batch
        begin_batch(db.session, username="test")
        chair = f.employee(db.session, full_name="Смирнов Олег Петрович")
        members = [f.employee(db.session, full_name="Кузнецова Мария Ивановна"),
                   f.employee(db.session, full_name="Попов Андрей Викторович")]
        f.commission(db.session, chair=chair, members=members, order_number="15-од")
        for name in ("Монитор Samsung", "Монитор LG", "Монитор Acer"):
            f.asset(db.session, name=name)
        f.asset(db.session, name="Сервер Dell")
        db.session.commit()
        db.session.remove()


def test_clerk_drafts_head_approves_and_downloads(page_as, live_server, office, app):
    page = page_as(Role.clerk)
    page.goto(f"{live_server}/admin/asset/?search=Монитор")
    boxes = page.locator("input.action-checkbox")
    assert boxes.count() == 3
    for i in range(3):
        boxes.nth(i).check()
    page.click(".dropdown-toggle:has-text('С выбранн')")
    page.click("a:has-text('Списать')")
    page.wait_for_url("**/admin/asset/write-off/**")
    assert "можно списать: 3" in page.inner_text("#write-off-summary")

    page.fill("#act_date", "2026-11-20")
    page.select_option("#reason", "obsolescence")
    page.fill("#evidence_number", "ДВ-7")
    page.select_option("#commission", label="Комиссия по поступлению и выбытию активов (№ 15-од от 12.01.2026)")
    page.fill("#condition", "Не включается")
    page.fill("#conclusion", "Ремонт нецелесообразен")
    page.click("#create-draft")
    page.wait_for_url("**/admin/writeoffact/details/**")
    assert "Создан проект акта о списании" in page.inner_text("body")
    assert page.locator("#act-lines tbody tr").count() == 3
    assert page.locator("#approve-act").count() == 0  # a clerk doesn't approve
    act_url = page.url

    head = page_as(Role.head)
    head.goto(act_url)
    head.on("dialog", lambda dialog: dialog.accept())
    head.click("#approve-act")
    head.wait_for_load_state()
    assert "утверждён" in head.inner_text("body")
    assert head.locator("#approve-act").count() == 0
    with head.expect_download() as download_info:
        head.click("#download-act")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    names = [row[1].value for row in ws.iter_rows() if isinstance(row[1].value, str) and row[1].value.startswith("Монитор")]
    assert sorted(names) == ["Монитор Acer", "Монитор LG", "Монитор Samsung"]

    with app.app_context():
        act = db.session.query(WriteOffAct).one()
        assert {line.asset.status for line in act.lines} == {AssetStatus.written_off}
        db.session.remove()
