"""Record ids from a request, parsed in one place.

Ids arrive as text: ``?id=``, ticked rows, comma lists carried between the steps of a tool. Only
ASCII digits within the range of an integer key are ids: ``str.isdigit()`` would let «²» or «٣»
through to ``int()`` (a 500), and an id past the column's range is an error on every database.
"""
import re

MAX_ID = 2**31 - 1  # INTEGER primary keys on PostgreSQL
_ID = re.compile(r"[0-9]{1,10}")


def parse_id(value) -> int | None:
    """The id, or None for anything that is not one (callers answer 404 or ignore it)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value).strip()
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values) -> list[int]:
    """Distinct ids in order from ``"1,2"`` or ``["1", "2,3", …]``; what is not an id is dropped."""
    if values is None:
        return []
    if isinstance(values, (str, int)):
        values = [values]
    seen, ids = set(), []
    for value in values:
        for part in str(value).split(","):
            number = parse_id(part)
            if number is not None and number not in seen:
                seen.add(number)
                ids.append(number)
    return ids
