"""Cell values the way clerks type them, turned into column values; each parser raises CellError."""
import re
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask import has_app_context
from flask_babel import force_locale, lazy_gettext as _l


class CellError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class CellWarning(Exception):
    """A cell read with a correction the clerk must accept: ``value`` is what will be written."""

    def __init__(self, value, message):
        super().__init__(message)
        self.value = value
        self.message = message


def normalise(text) -> str:
    """Case-, space- and ё-insensitive form used to match headers, labels and names."""
    return re.sub(r"\s+", " ", str(text).replace("\xa0", " ")).strip().casefold().replace("ё", "е")


def in_both_languages(lazy) -> set[str]:
    """Normalised Russian and English forms of a lazy string (a file may come from either interface)."""
    forms = {normalise(lazy)}
    if has_app_context():
        for locale in ("ru", "en"):
            with force_locale(locale):
                forms.add(normalise(lazy))
    return forms


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """A cell as text: trimmed; a whole number typed into a text column loses its ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M") if (value.hour or value.minute) else value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value).replace("\xa0", " ").strip()


def code(value, lengths: tuple[int, ...] | None) -> str:
    """An identifier made of digits (ИНН, КПП, БИК, account…): text, and digits Excel dropped are reported.

    A number cell keeps no leading zeros and only 15 significant digits; if what is left has a length the
    identifier can't have, the cell must be re-entered as text.
    """
    if isinstance(value, bool):
        raise CellError(_l("expected text, got a yes/no value"))
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (not value.is_integer() or abs(value) >= 1e15):
            raise CellError(_l("the number has lost digits in Excel; format the column as text and type it again"))
        result = str(int(value))
        if lengths and len(result) not in lengths:
            raise CellError(_l("leading zeros were lost (the cell is a number: %(value)s); "
                               "format the column as text and type it again", value=result))
        return result
    return text(value)


MAX_NUMBER = Decimal(10) ** 13
MAX_INTEGER = 2**31 - 1  # INTEGER columns on PostgreSQL
def dotted_code(value, whole: bool = True) -> str:
    """A code of digit groups («101.34», ОКОФ «320.26») that Excel turned into a number.

    Kept when both decimals survived; 101.3 may have been 101.30 and 310 may have been 310.00 — the
    zeros are gone and can't be told from the number alone. ``whole``: a whole number is a code too
    (the off-balance account «21»).
    """
    written = repr(value) if isinstance(value, float) and not value.is_integer() else str(int(value))
    if ("." in written and len(written.partition(".")[2]) == 2) or ("." not in written and whole):
        return written
    raise CellError(_l("the code became a number (%(value)s) and may have lost a zero; "
                       "format the column as text and type it again", value=written))


_NUMBER_JUNK = re.compile(r"[\s\u00a0\u202f\u2009']|₽|руб\.?|р\.", re.IGNORECASE)


def decimal(value, places: int | None = 2) -> Decimal:
    """Numbers as Excel numbers or text ``1 234,56`` / ``1234.56`` / ``1 234,56 ₽`` (NBSP group spaces too)."""
    if isinstance(value, bool):
        raise CellError(_l("not a number: %(value)s", value=text(value)))
    if isinstance(value, (int, Decimal)):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    else:
        raw = text(value)
        cleaned = _NUMBER_JUNK.sub("", raw)
        if "," in cleaned and "." in cleaned:
            # 1,234.56 or 1.234,56: the last separator is the decimal one
            group, point = (".", ",") if cleaned.rfind(",") > cleaned.rfind(".") else (",", ".")
            cleaned = cleaned.replace(group, "").replace(point, ".")
        elif cleaned.count(",") == 1:
            cleaned = cleaned.replace(",", ".")
        try:
            result = Decimal(cleaned)
        except InvalidOperation:
            raise CellError(_l("not a number: %(value)s", value=raw)) from None
        if not result.is_finite():
            raise CellError(_l("not a number: %(value)s", value=raw))
    if not result.is_finite() or abs(result) >= MAX_NUMBER:  # no column holds more (NUMERIC(15, 2))
        raise CellError(_l("too large a number: %(value)s", value=text(value)))
    if places is not None:
        result = result.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return result


def integer(value) -> int:
    number = decimal(value, None)
    if number != number.to_integral_value():
        raise CellError(_l("must be a whole number: %(value)s", value=text(value)))
    if abs(number) > MAX_INTEGER:
        raise CellError(_l("too large a number: %(value)s", value=text(value)))
    return int(number)


_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S",
                 "%Y-%m-%d %H:%M:%S")
_EXCEL_EPOCH = date(1899, 12, 30)
# A number in a date column is taken as Excel's day number only if it falls in 1950–2099 (18264–73050):
# a year (2024 → 1905) or an amount typed into the wrong column is an error, not a date.
_PLAUSIBLE_SERIALS = range(18264, 73051)


def to_date(value) -> date:
    """Excel dates, text ``01.02.2024`` (also ``01.02.24``, ``2024-02-01``), or a date serial number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if int(value) in _PLAUSIBLE_SERIALS:
            # A date cell whose number format was lost: Excel's serial day number.
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(_l("a number, not a date: %(value)s (type the date as dd.mm.yyyy)", value=text(value)))
    raw = text(value)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise CellError(_l("not a date (expected dd.mm.yyyy): %(value)s", value=raw))


def to_time(value) -> time:
    """A time of day: an Excel time, ``9:00`` / ``09:00:00``, or Excel's fraction of a day."""
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value
    if isinstance(value, timedelta):
        return (datetime.min + value).time()
    if isinstance(value, float) and 0 <= value < 1:
        return (datetime.min + timedelta(seconds=round(value * 86400))).time()
    raw = text(value)
    for fmt in ("%H:%M", "%H:%M:%S", "%H.%M"):
        try:
            return datetime.strptime(raw, fmt).time()
        except ValueError:
            continue
    raise CellError(_l("not a time (expected hh:mm): %(value)s", value=raw))


_YES = {"да", "yes", "y", "1", "true", "истина", "д", "+", "x", "✓"}
_NO = {"нет", "no", "n", "0", "false", "ложь", "н", "-"}


def boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = normalise(text(value))
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellError(_l("expected Yes or No: %(value)s", value=text(value)))


class EnumParser:
    """An enum member by its value or its label in Russian or English, any case."""

    def __init__(self, enum_cls):
        self.enum_cls = enum_cls
        self.by_word = {}
        for member in enum_cls:
            self.by_word[normalise(member.value)] = member
            for form in in_both_languages(member.label):
                self.by_word.setdefault(form, member)

    def __call__(self, value):
        member = self.by_word.get(normalise(text(value)))
        if member is None:
            allowed = ", ".join(str(m.label) for m in self.enum_cls)
            raise CellError(_l("unknown value «%(value)s»; expected one of: %(allowed)s",
                               value=text(value), allowed=allowed))
        return member
