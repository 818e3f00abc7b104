"""Transfers: documents per source responsible person, set-based asset update, refusals, the 0504102 workbook."""
import io
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from models import Asset, AssetStatus, ChangeLogEntry, Transfer, TransferLine
from reports.transfer_form import write_transfer_form
from reports.workbook import open_workbook
from services.transfers import TransferRefused, form_data, transfer_assets
from services.undo import undo_batch
from tests import factories as f
from tests.libreoffice import convert_to_pdf


@pytest.fixture
def office(ctx):
    dept_a, dept_b = f.department(ctx, name="Бухгалтерия"), f.department(ctx, name="Отдел кадров")
    ivanov = f.employee(ctx, full_name="Иванов И. И.", position="Завхоз")
    petrov = f.employee(ctx, full_name="Петров П. П.")
    sidorova = f.employee(ctx, full_name="Сидорова С. С.", position="Инспектор")
    room = f.room(ctx, number="215")
    assets = [f.asset(ctx, name=f"Стул {i}", responsible=ivanov, department=dept_a,
                      book_value=Decimal("1500.50")) for i in range(3)]
    assets.append(f.asset(ctx, name="Стол", responsible=petrov, department=dept_a, book_value=Decimal("12000.00")))
    ctx.commit()
    return dict(dept_b=dept_b, ivanov=ivanov, petrov=petrov, sidorova=sidorova, room=room, assets=assets)


def test_one_document_per_source_responsible(ctx, office):
    result = transfer_assets(ctx, [a.id for a in office["assets"]], doc_date=date(2026, 3, 2),
                             to_responsible_id=office["sidorova"].id, to_room_id=office["room"].id,
                             reason="Реорганизация")

    docs = ctx.scalars(select(Transfer).order_by(Transfer.number)).all()
    assert [(d.number, d.year, d.from_responsible_id) for d in docs] == [
        (1, 2026, office["ivanov"].id), (2, 2026, office["petrov"].id)]
    assert [len(d.lines) for d in docs] == [3, 1]
    line = docs[0].lines[0]
    assert (line.name, line.book_value, line.from_responsible_id) == ("Стул 0", Decimal("1500.50"), office["ivanov"].id)
    moved = ctx.execute(select(Asset.responsible_id, Asset.room_id, Asset.department_id, Asset.version)).all()
    assert {tuple(r)[:2] for r in moved} == {(office["sidorova"].id, office["room"].id)}
    assert {r.version for r in moved} == {2}
    actions = ctx.scalars(select(ChangeLogEntry.action).where(ChangeLogEntry.batch_id == result.batch_id)).all()
    assert actions.count("transfer") == 4 and actions.count("create") == 2 + 4

    again = transfer_assets(ctx, [office["assets"][0].id], doc_date=date(2026, 5, 1),
                            to_department_id=office["dept_b"].id)
    assert again.transfers[0].number == 3


def test_locked_assets_refuse_the_whole_transfer(ctx, office):
    gone = f.asset(ctx, status=AssetStatus.pending_write_off, responsible=office["ivanov"])
    ctx.commit()
    with pytest.raises(TransferRefused) as refused:
        transfer_assets(ctx, [office["assets"][0].id, gone.id], doc_date=date(2026, 3, 2),
                        to_responsible_id=office["sidorova"].id)
    assert [label for label, _ in refused.value.records] == [f"{gone.inventory_number} {gone.name}"]
    assert ctx.scalar(select(Transfer.id)) is None
    assert ctx.get(Asset, office["assets"][0].id).responsible_id == office["ivanov"].id
    with pytest.raises(TransferRefused):
        transfer_assets(ctx, [office["assets"][0].id], doc_date=date(2026, 3, 2))


def test_transfer_is_final_and_reversed_by_a_reversing_document(ctx, office):
    from models import DocumentStatus, Role
    from services import documents
    from services.accounts import create_user
    from services.undo import UndoRefused

    clerk = create_user(ctx, "clerk-t", "pw", Role.clerk, full_name="Клерк")
    result = transfer_assets(ctx, [a.id for a in office["assets"]], doc_date=date(2026, 3, 2),
                             to_responsible_id=office["sidorova"].id, user=clerk)
    ctx.commit()
    first = result.transfers[0]
    assert first.status == DocumentStatus.approved and first.approved_by_id == clerk.id
    with pytest.raises(UndoRefused) as refused:
        undo_batch(ctx, result.batch_id)
    assert "сторнирующим документом" in str(refused.value.message)
    assert ctx.scalar(select(Transfer.id)) is not None

    for transfer in result.transfers:
        reversal = documents.request_reversal(ctx, transfer, clerk, "Ошибка в получателе", date(2026, 3, 3))
        documents.approve(ctx, reversal, clerk)
    ctx.commit()
    ctx.expire_all()
    assert ctx.get(Asset, office["assets"][0].id).responsible_id == office["ivanov"].id
    assert ctx.get(Asset, office["assets"][3].id).responsible_id == office["petrov"].id
    assert ctx.scalar(select(TransferLine.id)) is not None  # the documents stay, corrected, not erased
    with pytest.raises(documents.DocumentRefused):
        documents.request_reversal(ctx, first, clerk, "Ещё раз")


def _workbook_bytes(data):
    buffer = io.BytesIO()
    workbook = open_workbook(buffer)
    write_transfer_form(workbook, data)
    workbook.close()
    return buffer.getvalue()


def test_workbook_cells(ctx, office):
    result = transfer_assets(ctx, [a.id for a in office["assets"][:3]], doc_date=date(2026, 3, 2),
                             to_responsible_id=office["sidorova"].id, to_department_id=office["dept_b"].id,
                             reason="Приказ № 12")
    data = form_data(result.transfers[0], "ГКУ «Хозяйственное управление»")
    ws = openpyxl.load_workbook(io.BytesIO(_workbook_bytes(data))).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    assert "0504102" in cells and "НАКЛАДНАЯ № 1" in cells
    assert "от «02» марта 2026 г." in cells
    for text in ("ГКУ «Хозяйственное управление»", "Бухгалтерия", "Отдел кадров", "Иванов И. И.",
                 "Сидорова С. С.", "Приказ № 12", "Сдал", "Принял", "Стул 2"):
        assert text in cells, text
    name = cells["Стул 0"]
    row = [ws.cell(name.row, c).value for c in range(1, 9)]
    assert row[0] == 1 and row[2] == office["assets"][0].inventory_number and row[3] == "шт." and row[4] == 1
    assert row[5] == pytest.approx(1500.50) and row[6].startswith("=E")
    total_row = cells["Итого"].row
    assert ws.cell(total_row, 7).value.startswith("=SUM(G")
    assert isinstance(ws.cell(3, 8).value, datetime)  # the date cell is a real date
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9


def test_workbook_converts_to_pdf(ctx, office, tmp_path):
    result = transfer_assets(ctx, [a.id for a in office["assets"]], doc_date=date(2026, 3, 2),
                             to_responsible_id=office["sidorova"].id)
    source = tmp_path / "transfer.xlsx"
    source.write_bytes(_workbook_bytes(form_data(result.transfers[0], "ГКУ «Хозяйственное управление»")))
    (pdf,) = convert_to_pdf([source], tmp_path)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Стул 1" in text and "0504102" in text
