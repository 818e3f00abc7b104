"""Upload bombs are refused quickly and without the worker's memory growing.

Each bomb is a small .xlsx that would inflate to hundreds of megabytes: rows repeated millions of
times, a shared-strings table of endless texts, a cell that never closes (packed tightly, and packed
loosely enough to pass the ratio check), elements opened and never closed. A fresh Python process reads each one with the import's
reader and reports the time taken and how far its resident memory rose above where it started.
"""
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
MAX_SECONDS = 1.0
MAX_GROWTH_MB = 100

PROBE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
from services.import_files import ImportFileError, open_file

def rss(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
data = open(sys.argv[1], "rb").read()
before = rss("VmRSS:")
try:
    open("/proc/self/clear_refs", "w").write("5")  # the peak (VmHWM) starts again from here
except OSError:
    pass
started = time.monotonic()
message = None
try:
    book = open_file(data)
    for sheet in book.sheets:
        for _ in book.rows(sheet):
            pass
except ImportFileError as exc:
    message = str(exc.message)
elapsed = time.monotonic() - started
print(json.dumps({"seconds": elapsed, "growth_mb": rss("VmHWM:") - before, "message": message}))
"""


def skeleton() -> dict[str, bytes]:
    """The parts of a real one-sheet workbook (openpyxl writes it), to put a bomb inside."""
    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Инвентарный номер"
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_member(archive: zipfile.ZipFile, name: str, head: bytes, repeated: bytes, times: int, tail: bytes = b""):
    """A member written in chunks: the bomb is never whole in this process's memory either."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w") as out:
        out.write(head)
        step = min(times, 10_000)
        block = repeated * step
        for _ in range(times // step):
            out.write(block)
        out.write(tail)


def bomb(kind: str) -> bytes:
    parts = skeleton()
    buffer = io.BytesIO()
    sheet = "xl/worksheets/sheet1.xml"
    start = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData>')
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, body in parts.items():
            if name != sheet and not (kind == "shared_strings" and name.endswith("sharedStrings.xml")):
                archive.writestr(name, body)
        if kind == "rows":  # 3 million identical rows: ~300 MB of XML
            write_member(archive, sheet, start, b'<row><c t="inlineStr"><is><t>x</t></is></c></row>', 3_000_000,
                         b"</sheetData></worksheet>")
        elif kind == "shared_strings":  # 10 million shared texts: ~500 MB
            archive.writestr(sheet, start + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>')
            write_member(archive, "xl/sharedStrings.xml",
                         b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
                         b"<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>", 10_000_000, b"</sst>")
        elif kind == "unclosed_cell":  # one cell, never closed, 400 MB long
            write_member(archive, sheet, start + b'<row r="1"><c r="A1" t="inlineStr"><is><t>', b"A" * 40,
                         10_000_000)
        elif kind == "unclosed_cell_loose":  # the same, packed loosely enough to pass the ratio check
            import random
            noise = random.Random(16).randbytes(6 * 1024 * 1024).hex().encode()  # 12 MB of digits, ~2x packed
            write_member(archive, sheet, start + b'<row r="1"><c r="A1" t="inlineStr"><is><t>', noise, 1)
        elif kind == "nested":  # elements opened and never closed: a parser would hold them all
            import random
            names = random.Random(17).randbytes(3 * 1_500_000).hex().encode()
            body = b"".join(b"<x" + names[i:i + 6] + b">" for i in range(0, len(names), 6))
            write_member(archive, sheet, start + b'<row r="1">', body, 1)
        else:
            raise ValueError(kind)
    return buffer.getvalue()


def probe(tmp_path, data: bytes) -> dict:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    out = subprocess.run([sys.executable, "-c", PROBE, str(path), str(ROOT)], capture_output=True, text=True,
                         timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", ["rows", "shared_strings", "unclosed_cell", "unclosed_cell_loose", "nested"])
def test_an_upload_bomb_is_refused_fast_and_small(tmp_path, kind):
    data = bomb(kind)
    assert len(data) < 20 * 1024 * 1024  # within the upload limit: it reaches the reader
    result = probe(tmp_path, data)
    print(f"\n{kind}: {len(data) / 1024:.0f} KB upload, refused in {result['seconds']:.3f} s, "
          f"memory +{result['growth_mb']:.1f} MB: {result['message']}")
    assert result["message"], "the bomb was read instead of refused"
    assert result["seconds"] < MAX_SECONDS
    assert result["growth_mb"] < MAX_GROWTH_MB


def test_a_real_workbook_still_reads(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Инвентарный номер", "Наименование"])
    for n in range(2000):
        sheet.append([f"ИН-{n:06d}", f"Стол письменный {n}"])
    buffer = io.BytesIO()
    book.save(buffer)
    from services.import_files import open_file

    book = open_file(buffer.getvalue())
    rows = list(book.rows(book.sheets[0]))
    assert rows[0][1] == ["Инвентарный номер", "Наименование"]
    assert len(rows) == 2001


def test_a_web_upload_of_a_bomb_shows_the_message(client_as, tmp_path):
    from models import Role

    clerk = client_as(Role.clerk)
    response = clerk.post("/admin/asset/import/", data={"file": (io.BytesIO(bomb("unclosed_cell")), "bomb.xlsx")},
                          content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "В распакованном виде книга заняла бы больше 200 МБ" in page
