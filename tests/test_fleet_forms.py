"""The printed waybill and fuel write-off act as the accountant checks them: every requisite docs/forms.md
lists under «Waybill» and «Fuel write-off act» is a cell of the workbook, and LibreOffice prints each on A4
one page wide."""
import io
import re
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from reports.fuel_write_off_form import write_fuel_write_off
from reports.waybill_form import write_waybill
from reports.workbook import workbook_chunks
from services import fleet as fl, fuel_month as fm
from services.fuel_statement import import_statement
from tests import factories
from tests.fleet_setup import fleet, norm_card
from tests.libreoffice import convert_to_pdf
from tests.test_forms import _pdf_pages

FORMS_MD = Path(__file__).resolve().parent.parent / "docs" / "forms.md"


def section(title: str) -> list[tuple[str, str]]:
    rows, inside = [], False
    for line in FORMS_MD.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            inside = line.startswith(f"## {title}")
        elif inside and line.startswith("| ") and not line.startswith("| requisite"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows.append((cells[0], cells[2]))
    return rows


def cells(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    texts = []
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            texts.extend(str(v) for v in row if v is not None)
    return "\n".join(texts)


@pytest.fixture
def printed(ctx):
    inst = factories.institution(ctx)
    f = fleet(ctx)
    f.vehicle.plate = "А123ВС77"
    f.driver.full_name = "Кузьмин Олег Петрович"
    f.clerk.full_name = "Диспетчер Лебедева Ольга"
    norm_card(ctx, f.vehicle)
    requester = factories.employee(ctx, full_name="Петрова Анна Сергеевна")
    request = fl.request_trip(ctx, requester.id, date(2026, 3, 2), time(9), time(12), "Офис — Минфин — Офис",
                              "Сдача отчётности")
    fl.assign(ctx, request, f.vehicle.id, f.driver.id)
    mechanic = factories.employee(ctx, full_name="Волков Антон Ильич", position="Механик")
    w = fl.issue_waybill(ctx, f.clerk, f.vehicle.id, f.driver.id, date(2026, 3, 2), date(2026, 3, 3),
                         departure_at=datetime(2026, 3, 2, 8), fuel_out=Decimal("30"),
                         tech_check_at=datetime(2026, 3, 2, 7, 40), tech_checker_id=mechanic.id,
                         medical_at=datetime(2026, 3, 2, 7, 45), medic_name="Сидорова Елена Викторовна")
    statement = ("Дата и время;Номер карты;АЗС;Товар;Количество, л;Цена;Сумма\n"
                 f"02.03.2026 12:00;{f.card.number};АЗС 7;АИ-92;30,00;55,00;1650,00\n").encode()
    import_statement(ctx, f.provider.id, statement, "март.csv")
    fl.close_waybill(ctx, w, f.clerk, odometer_in=10250, fuel_in=Decimal("30.64"),
                     return_at=datetime(2026, 3, 3, 17, 30), post_medical_at=datetime(2026, 3, 3, 17, 40))
    record = fm.close_month(ctx, 2026, 3, f.clerk, commission_id=factories.commission(
        ctx, chair=factories.employee(ctx, full_name="Смирнов Олег Петрович", position="Заместитель")).id)
    act = fm.act_of(ctx, record)
    assert inst.full_name and act.lines[0].litres == Decimal("29.36")
    waybill = b"".join(workbook_chunks(lambda wb, fmt: write_waybill(wb, fmt, fl.waybill_data(ctx, w))))
    fuel_act = b"".join(workbook_chunks(lambda wb, fmt: write_fuel_write_off(wb, fmt, fm.act_data(ctx, act))))
    return {"waybill": waybill, "act": fuel_act}


def test_every_390_requisite_is_on_the_printed_waybill(printed):
    text = cells(printed["waybill"])
    rows = section("Waybill")
    assert len(rows) >= 20
    missing = [(name, value) for name, value in rows if value != "—" and value not in text]
    assert missing == []


def test_the_fuel_write_off_act_has_its_requisites(printed):
    text = cells(printed["act"])
    rows = section("Fuel write-off act")
    missing = [(name, value) for name, value in rows if value != "—" and value not in text]
    assert missing == []
    assert re.search(r"29[.,]36", text)  # the litres of the waybill's norm-level consumption


def test_libreoffice_prints_both_on_a4_one_page_wide(printed, tmp_path):
    paths = []
    for name, data in printed.items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(data)
        paths.append(path)
    expected = {"waybill": ("portrait", 2), "act": ("landscape", 2)}
    for path, pdf in zip(paths, convert_to_pdf(paths, tmp_path)):
        pages = _pdf_pages(pdf)
        orientation, most = expected[path.stem]
        assert 1 <= len(pages) <= most, (path.stem, len(pages))
        for width, height in pages:  # A4: 595 × 842 points
            assert sorted((round(width), round(height))) == [595, 842]
            assert (width > height) == (orientation == "landscape"), path.stem
