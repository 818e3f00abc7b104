"""Finding the header of a clerk's table: under a title, over a second row of sub-headers, in any wording.

``header_form`` turns a header as written into the form matched against the known ones («Инв. №»,
«Инвентарный №» and «Инв. номер» all become «инвентарный номер»; units such as «, руб.» are dropped).
``find_header`` picks, among the first rows of a sheet, the row — or the pair of rows, sub-headers joined
with their group — where most columns are recognised.
"""
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .import_values import normalise

SEARCH_ROWS = 20  # a title, a date line and a blank line or two may stand above the header
NOT_FOUND = object()  # what ``match`` returns for a header it does not know

_UNITS = re.compile(r"\s*[,(]\s*(?:в\s+)?(?:руб|рублей|rub|₽|шт|мес|месяцев|лет|км|л)\.?\s*\)?\s*$")
_WORDS = [(re.compile(p), r) for p, r in (
    (r"\bинв(?:\.\s*|\s+|$)", "инвентарный "), (r"№|\bno\.|\bn°|\bnr\.", " номер "),
    (r"\bтаб(?:\.\s*|\s+|$)", "табельный "), (r"\bбал(?:\.\s*|\s+|$)", "балансовая "),
    (r"\bнаим(?:\.\s*|\s+|$)", "наименование "),
)]


def header_form(text) -> str:
    """Case-, space- and punctuation-insensitive form of a header, its unit dropped."""
    form = normalise(text).rstrip("*: ").strip()
    previous = None
    while previous != form:  # «Стоимость, руб. (₽)»: drop units one by one
        previous = form
        form = _UNITS.sub("", form).strip().rstrip(",:*").strip()
    for pattern, replacement in _WORDS:
        form = pattern.sub(replacement, form)
    return re.sub(r"\s+", " ", form.replace("ё", "е")).strip(" .,:;*")


@dataclass
class Header:
    rows: list[int]  # the sheet's row numbers the header occupies (one or two)
    texts: list[str]  # per column: the header as shown to the clerk («Стоимость балансовая»)
    score: int  # distinct fields recognised
    samples: list = field(default_factory=list)  # the first rows under it, to show what a column holds


def _texts(cells) -> list[str]:
    texts = ["" if c is None else re.sub(r"\s+", " ", str(c)).strip() for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def _score(texts: list[str], match: Callable) -> int:
    found = set()
    for text in texts:
        if text:
            field = match(header_form(text))
            if field is not NOT_FOUND:
                found.add(field or ("calculated", text))
    return len(found)


def _join(upper: list[str], lower: list[str], match: Callable) -> list[str]:
    """One header per column from a group row and a sub-header row («Стоимость» over «Балансовая»).

    A group typed once over several columns (a merge LibreOffice kept as one cell) covers the columns to
    its right that have sub-headers and no group of their own.
    """
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    joined, group = [], ""
    for up, low in zip(upper, lower):
        if up:
            group = up if low else ""
        elif low and group:
            up = group
        else:
            group = ""
        if not low or up == low:
            joined.append(up)
        elif not up:
            joined.append(low)
        else:
            lowered = up[0].lower() + up[1:] if up[1:2].islower() else up  # «Балансовая стоимость», not «… Стоимость»
            options = (f"{low} {lowered}", f"{up} {low}", f"{up}, {low}", low)
            joined.append(next((o for o in options if match(header_form(o)) is not NOT_FOUND), f"{up} {low}"))
    return joined


def find_header(head: list[tuple[int, list]], match: Callable) -> Header | None:
    """The best header among the first rows; ``match(form)`` → field name, None (known, not imported) or NOT_FOUND."""
    if not head:
        return None
    best = None
    for i, (number, cells) in enumerate(head[:SEARCH_ROWS]):
        texts = _texts(cells)
        candidate = Header([number], texts, _score(texts, match))
        if i + 1 < len(head):
            following, lower_cells = head[i + 1]
            joined = _join(texts, _texts(lower_cells), match)
            score = _score(joined, match)
            # Two rows only when together they say more than either alone (not a title over the header,
            # not the header over the first data row).
            if following == number + 1 and score > max(candidate.score, _score(_texts(lower_cells), match)):
                candidate = Header([number, following], joined, score)
        if best is None or candidate.score > best.score:
            best = candidate
    if best.score == 0:  # nothing known: the first row, so the clerk sees its columns and maps them
        number, cells = head[0]
        return Header([number], _texts(cells), 0)
    return best
