"""Limits on an uploaded .xlsx, .xlsm or .ods (a zip archive), checked from its directory before anything is
inflated.

A few megabytes of zip can inflate to gigabytes (a «zip bomb»): rows repeated millions of times, a
shared-strings table of endless texts, a cell that never closes. The directory at the end of the
archive declares every member's sizes, and Python's zip reader never inflates a member past its
declared size (a lying member fails its CRC), so checking the declared sizes bounds the work:

- members: at most ``MAX_MEMBERS`` (counted from the end record, before the directory is read);
- total uncompressed size: at most ``MAX_UNCOMPRESSED`` bytes;
- compression ratio of each member larger than ``RATIO_FROM`` bytes: at most ``MAX_RATIO``;
- the shared-strings table (held in memory while the sheet is read): at most ``MAX_SHARED_STRINGS``.

Within those limits the sheets and the shared-strings table are then streamed once (``scan_parts``),
chunk by chunk, before any XML parser sees them: a stretch of over ``MAX_TEXT_RUN`` bytes without a
tag (a cell that never closes: Excel's cells hold at most 32 767 characters) or elements nested
deeper than ``MAX_DEPTH`` (a parser would hold every open element) refuse the file.

Embedded archives inside a workbook are never opened, so nesting adds nothing to the work. Each limit
can be set from the environment (``IMPORT_MAX_UNCOMPRESSED_MB``, ``IMPORT_MAX_RATIO``,
``IMPORT_MAX_MEMBERS``, ``IMPORT_MAX_SHARED_STRINGS_MB``).
"""
import io
import os
import struct
import zipfile

from flask_babel import lazy_gettext as _l

MB = 1024 * 1024
MAX_UNCOMPRESSED = int(os.environ.get("IMPORT_MAX_UNCOMPRESSED_MB", "200")) * MB
MAX_RATIO = int(os.environ.get("IMPORT_MAX_RATIO", "100"))
MAX_MEMBERS = int(os.environ.get("IMPORT_MAX_MEMBERS", "1000"))
MAX_SHARED_STRINGS = int(os.environ.get("IMPORT_MAX_SHARED_STRINGS_MB", "64")) * MB
MAX_TEXT_RUN = 1 * MB
MAX_DEPTH = 100  # a worksheet nests about 6 deep
SCANNED = ("xl/worksheets/", "xl/sharedstrings.xml", "content.xml")  # .xlsx/.xlsm sheets and texts, .ods
RATIO_FROM = 1 * MB  # small members (styles, an empty sheet) may compress absurdly well and harm nobody

_END_RECORD = b"PK\x05\x06"
_END_SIZE = 22


class ArchiveRefused(ValueError):
    """The archive is over a limit or damaged; ``message`` is a lazy string for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _member_count(data: bytes) -> int:
    """Entries in the archive, from its end record (the directory itself is not read)."""
    start = data.rfind(_END_RECORD, max(0, len(data) - _END_SIZE - 65535))
    if start < 0 or len(data) - start < _END_SIZE:
        raise ArchiveRefused(_l("The file is not a spreadsheet (.xlsx, .xls, .ods) or a text file (.csv)."))
    (_sig, _disk, _cd_disk, _here, total, _size, _offset, _comment) = struct.unpack("<4s4H2LH",
                                                                                  data[start:start + _END_SIZE])
    return total


def check_archive(data: bytes) -> None:
    """Refuse, without inflating anything, an archive over the limits above."""
    count = _member_count(data)
    if count == 0xFFFF or count > MAX_MEMBERS:  # 0xFFFF: a ZIP64 directory, never needed by a workbook this size
        raise ArchiveRefused(_l("The workbook has too many parts (over %(limit)s); it can't be imported.",
                                limit=MAX_MEMBERS))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_members(archive.infolist())
            scan_parts(archive)
    except ArchiveRefused:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error, NotImplementedError):
        # A damaged archive: whatever zipfile or the XML scan raises on it, the clerk hears one message.
        raise ArchiveRefused(_l("The file is not a spreadsheet (.xlsx, .xls, .ods) or a text file (.csv).")) from None


def _check_members(members) -> None:
    total = 0
    for member in members:
        total += member.file_size
        if total > MAX_UNCOMPRESSED:
            raise ArchiveRefused(_l("Unpacked, the workbook would take over %(limit)s MB; split it into "
                                    "several files.", limit=MAX_UNCOMPRESSED // MB))
        if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ArchiveRefused(_l("The workbook is packed suspiciously tightly (a part inflates over "
                                    "%(ratio)s times); it can't be imported.", ratio=MAX_RATIO))
        if member.filename.lower().endswith("sharedstrings.xml") and member.file_size > MAX_SHARED_STRINGS:
            raise ArchiveRefused(_l("The workbook's table of texts is over %(limit)s MB; split it into several "
                                    "files.", limit=MAX_SHARED_STRINGS // MB))


def scan_parts(archive: zipfile.ZipFile) -> None:
    """Stream every sheet and the shared-strings table once, refusing unclosed text and runaway nesting."""
    for member in archive.infolist():
        if not member.filename.lower().startswith(SCANNED):
            continue
        depth, run = 0, 0  # run: bytes since the last «<» (a chunk is 1 MB, so only a run across chunks can be longer)
        with archive.open(member) as part:
            while chunk := part.read(MB):
                first = chunk.find(b"<")
                if first < 0:
                    run += len(chunk)
                else:
                    if run + first > MAX_TEXT_RUN:
                        run += first
                        break
                    run = len(chunk) - chunk.rfind(b"<") - 1
                if run > MAX_TEXT_RUN:
                    break
                closes = chunk.count(b"</") + chunk.count(b"/>")
                depth += chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?") - chunk.count(b"<!") - closes
                if depth > MAX_DEPTH:
                    raise ArchiveRefused(_l("The workbook's sheet is nested too deeply (the file is damaged or "
                                            "hostile); it can't be imported."))
        if run > MAX_TEXT_RUN:
            raise ArchiveRefused(_l("A cell of the workbook never ends (the file is damaged); it can't be imported."))
