"""Opening our workbooks in LibreOffice, as an accountant's office suite would."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest


def convert_to_pdf(sources: list[Path], workdir: Path) -> list[Path]:
    """Convert workbooks to PDF with one headless soffice run; return the PDFs, in order.

    Skips where LibreOffice is absent, unless KHOZCHAST_REQUIRE_LIBREOFFICE (set by CI) makes that a failure.
    A private profile keeps parallel runs from clashing.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        if os.environ.get("KHOZCHAST_REQUIRE_LIBREOFFICE"):
            pytest.fail("KHOZCHAST_REQUIRE_LIBREOFFICE is set but soffice is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    out = workdir / "pdf"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{workdir}/lo-profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, sources)],
        capture_output=True, text=True, timeout=300, check=False)  # the assert shows stderr
    assert result.returncode == 0, result.stderr
    pdfs = [out / f"{source.stem}.pdf" for source in sources]
    for pdf in pdfs:
        assert pdf.exists(), (pdf.name, result.stdout, result.stderr)
        assert pdf.read_bytes().startswith(b"%PDF")
    return pdfs
