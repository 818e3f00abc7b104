"""Opening our workbooks in LibreOffice, as an accountant's office suite would."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest


def convert_to_pdf(sources: list[Path], workdir: Path) -> list[Path]:
    """Convert workbooks to PDF with one headless soffice run; return the PDFs, in order."""
    pdfs = convert(sources, workdir, "pdf")
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF")
    return pdfs


def convert(sources: list[Path], workdir: Path, target: str) -> list[Path]:
    """Convert files to ``target`` (pdf, xls, ods…) with one headless soffice run; return them, in order.

    Skips where LibreOffice is absent, unless KHOZCHAST_REQUIRE_LIBREOFFICE (set by CI) makes that a failure.
    A private profile keeps parallel runs from clashing.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        if os.environ.get("KHOZCHAST_REQUIRE_LIBREOFFICE"):
            pytest.fail("KHOZCHAST_REQUIRE_LIBREOFFICE is set but soffice is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    out = workdir / target
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{workdir}/lo-profile", "--headless", "--convert-to", target,
         "--outdir", str(out), *map(str, sources)],
        capture_output=True, text=True, timeout=300, check=False)  # the assert shows stderr
    assert result.returncode == 0, result.stderr
    converted = [out / f"{source.stem}.{target}" for source in sources]
    for path in converted:
        assert path.exists(), (path.name, result.stdout, result.stderr)
    return converted
