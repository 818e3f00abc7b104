"""The printed forms as an accountant checks them: every requisite docs/forms.md lists is in the
workbook with the value the test data makes, and LibreOffice prints each on A4 in the right
orientation, one page wide, in the expected number of pages."""
import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from models import FormFamily, Role, User, WriteOffForm, WriteOffReason, db
from models.changelog import begin_batch
from services import write_off as wo
from services.transfers import transfer_assets
from tests import factories as f
from tests.libreoffice import convert_to_pdf

D = Decimal
FORMS_MD = Path(__file__).resolve().parent.parent / "docs" / "forms.md"


def requisites() -> dict[str, list[tuple[str, str]]]:
    """docs/forms.md: form code -> [(requisite, value the test data prints)]."""
    found, code = {}, None
    for line in FORMS_MD.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## (\d{7}) ", line)
        if heading:
            code = heading.group(1)
            found[code] = []
        elif line.startswith("## "):  # a section of another kind (the waybill, reports): not a form of this test
            code = None
        elif code and line.startswith("| ") and not line.startswith("| requisite") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            found[code].append((cells[0], cells[2]))
    return found


def _act(session, asset_ids, form, commission, **kw):
    request = wo.DraftRequest(act_date=date(2026, 11, 20), form=form, reason=WriteOffReason.wear,
                              commission_id=commission.id, **kw)
    act, _ = wo.create_draft(session, asset_ids, request)
    return act


@pytest.fixture
def printed(app, users):
    """Every form of the panel, made from one small institution, as workbook bytes by ОКУД code."""
    with app.app_context():
        s = db.session
        begin_batch(s, username="test")
        institution = f.institution(s)
        dept = f.department(s, name="Отдел обеспечения")
        person = f.employee(s, full_name="Петрова Анна Сергеевна", position="Завхоз", department=dept)
        other = f.employee(s, full_name="Иванов Игорь Ильич", department=dept)
        chair = f.employee(s, full_name="Смирнов Олег Петрович", position="Заместитель начальника")
        members = [f.employee(s, full_name="Кузнецова Мария Ивановна", position="Бухгалтер"),
                   f.employee(s, full_name="Попов Андрей Викторович", position="Инженер")]
        commission = f.commission(s, chair=chair, members=members)
        computers = f.category(s, name="Ноутбуки", balance_account="101.34")
        cars = f.category(s, name="Автомобили", balance_account="101.35", okof_code="310.29.10.22")
        furniture = f.category(s, name="Мебель", balance_account="101.36", okof_code="330.31.01.12")
        laptop = f.asset(s, inventory_number="ИН-000101", name="Ноутбук Lenovo", category=computers,
                         responsible=person, department=dept, book_value=D("120000.00"), year_made=2025,
                         accepted_on=date(2026, 1, 9), commissioned_on=date(2026, 1, 10), useful_life_months=12)
        laptop2 = f.asset(s, name="Ноутбук HP", category=computers, responsible=person, department=dept)
        car = f.asset(s, name="LADA Granta", category=cars, responsible=person, department=dept,
                      book_value=D("650000.00"))
        f.vehicle(s, asset=car, plate="А123ВС77", vin="XTA21900051234567", odometer_km=187000, make="LADA",
                  model="Granta", engine_number="21126-7654321", chassis_number="отсутствует",
                  body_number="XTA21900051234567", colour="белый", pts_number="63ОХ123456", sts_number="7777123456")
        car2 = f.asset(s, name="ГАЗель", category=cars, responsible=person, department=dept)
        f.vehicle(s, asset=car2, plate="В456ОР77")
        desk = f.asset(s, name="Стол письменный", category=furniture, responsible=person, department=dept,
                       book_value=D("8500.00"))
        chairs = [f.asset(s, name=f"Стул {n}", category=furniture, responsible=other, department=dept)
                  for n in range(3)]
        head = s.get(User, users[Role.head])

        act = _act(s, [laptop.id], WriteOffForm.f0504104, commission, evidence_number="ДВ-12",
                   evidence_date=date(2026, 11, 18), conclusion="Восстановление нецелесообразно",
                   condition="Не включается")
        wo.add_cost(s, act, "Демонтаж и вывоз", D("1500.00"), "Акт № 7 от 19.11.2026", "109.00")
        wo.add_material(s, act, "Лом цветных металлов", D("0.4"), D("120.00"), "кг", "166", "105.36")
        wo.approve(s, act, head)
        vehicle_act = _act(s, [car.id], WriteOffForm.f0504105, commission)
        soft_act = _act(s, [desk.id], WriteOffForm.f0504143, commission, condition="Сломана столешница")
        institution.form_family = FormFamily.f61n
        s.flush()
        act61 = _act(s, [laptop2.id], WriteOffForm.f0504104, commission)
        vehicle61 = _act(s, [car2.id], WriteOffForm.f0504105, commission)
        moved = transfer_assets(s, [c.id for c in chairs], doc_date=date(2026, 3, 2), to_responsible_id=person.id,
                                reason="Служебная записка № 4", user=head)
        s.commit()
        ids = {"0504104": act.id, "0504105": vehicle_act.id, "0504143": soft_act.id, "0510454": act61.id,
               "0510456": vehicle61.id, "transfer": moved.transfers[0].id, "laptop": laptop.id, "dept": dept.id}
        s.remove()
    client = _login(app)
    books = {code: _get(client, f"/admin/writeoffact/download/?id={ids[code]}")
             for code in ("0504104", "0504105", "0504143", "0510454", "0510456")}
    books["0504031"] = _get(client, f"/admin/asset/card/?id={ids['laptop']}")
    books["0504102"] = _get(client, f"/admin/transfer/form/?id={ids['transfer']}")
    books["inventory"] = client.post("/admin/reports/inventory/", data={
        "at": date.today().isoformat(), "department": str(ids["dept"])}).data
    books["responsible"] = client.post("/admin/reports/responsible/", data={"at": date.today().isoformat()}).data
    books["contracts"] = client.post("/admin/reports/contracts/", data={}).data
    return books


def _login(app):
    from tests.conftest import login
    return login(app.test_client(), Role.accountant)


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.data[:300])
    return response.data


def _values(data: bytes) -> set:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}


@pytest.mark.parametrize("code", ["0504104", "0510454", "0504105", "0510456", "0504143", "0504031", "0504102"])
def test_every_requisite_of_the_form_is_printed(printed, code):
    listed = requisites()[code]
    assert listed, f"docs/forms.md lists no requisites of {code}"
    values = _values(printed[code])
    missing = [(name, value) for name, value in listed if value != "—" and value not in values]
    assert not missing, f"{code}: not printed: {missing}"


def test_the_head_approves_with_position_and_the_61n_family_prints_its_codes(printed):
    values = _values(printed["0510454"])
    assert {"0510454", "по Сводному реестру", "Глава по БК", "по ОКТМО", "Сидоров Пётр Ильич", "Директор"} <= values
    assert "0504104" not in values
    assert "по ОКПО" in _values(printed["0504104"]) and "по Сводному реестру" not in _values(printed["0504104"])


def test_soft_inventory_act_has_its_own_layout(printed):
    ws = openpyxl.load_workbook(io.BytesIO(printed["0504143"])).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(r for r in rows if r[0] == "№ п/п")
    assert header[1:9] == ["Наименование инвентаря", "Инвентарный (номенклатурный) номер", "Номер счета",
                           "Единица измерения: наименование", "Единица измерения: код по ОКЕИ", "Количество",
                           "Цена, руб.", "Сумма, руб."]
    line = next(r for r in rows if r[1] == "Стол письменный")
    assert line[3:9] == ["101.36", "шт", "796", 1, 8500, 8500]
    assert "Балансовая стоимость, ₽" not in header


def _pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True).stdout
        return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf.read_bytes())
    return [(float(w), float(h)) for w, h in boxes]


# form -> (orientation, the most pages it may take for the test data)
PRINTED = {"0504104": ("landscape", 3), "0510454": ("landscape", 3), "0504105": ("landscape", 3),
           "0510456": ("landscape", 3), "0504143": ("landscape", 2), "0504031": ("portrait", 2),
           "0504102": ("landscape", 2), "inventory": ("landscape", 2), "responsible": ("landscape", 4),
           "contracts": ("landscape", 2)}


def test_libreoffice_prints_each_form_on_a4_one_page_wide(printed, tmp_path):
    sources = []
    for name in PRINTED:
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(printed[name])
        sources.append(path)
    for path, pdf in zip(sources, convert_to_pdf(sources, tmp_path)):
        orientation, most = PRINTED[path.stem]
        pages = _pdf_pages(pdf)
        assert 1 <= len(pages) <= most, (path.stem, len(pages))
        for width, height in pages:
            assert {round(width), round(height)} <= {595, 596, 842}, (path.stem, width, height)  # A4
            assert (width > height) == (orientation == "landscape"), (path.stem, width, height)
        if shutil.which("pdftotext"):
            # One page wide: the first and the last column of the table are on the first page together.
            text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, check=True,
                                  text=True).stdout
            first, last = {"inventory": ("Инвентарный", "Остаточная"), "0504104": ("Наименование", "Заключение"),
                           "0504143": ("Наименование", "Причина"), "contracts": ("ИКЗ", "Дней до")}.get(
                path.stem, (None, None))
            if first:
                assert first in text and last in text, (path.stem, text[:500])
