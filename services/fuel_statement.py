"""A fuel-card provider's statement (xlsx, xls, ods, csv: date and time, card, station, product, litres, price,
amount; optionally the plate) read through the provider's saved column mapping (services.import_mappings,
one mapping per provider), every transaction matched to the card's vehicle and the waybill open at that time.

All or nothing: a file with a bad row writes nothing and says which rows and columns are wrong. The same
line imported again (same card, time, product, litres and amount) is skipped, so re-importing a statement
adds nothing. Written set-based (executemany) with the change log of every transaction added.
"""
import bisect
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from models import FuelCard, FuelTransaction, FuelType, Supplier, Waybill, WaybillStatus, utcnow
from models.base import insert_rows
from models.changelog import audit_context, record_changes
from models.checks import CheckError, check_plate
from models.rules import Refused

from . import import_mappings
from .import_files import ImportFileError, open_file
from .import_header import NOT_FOUND, find_header, header_form
from .import_values import CellError, decimal, is_empty, text, to_time

CHUNK = 900
CENTS = Decimal("0.01")
SHOWN_ERRORS = 50

# Field → how providers head the column (normalised header forms); a saved mapping adds the provider's own.
FIELDS = {
    "occurred_at": ("дата и время", "дата/время", "дата время", "дата и время операции", "дата операции",
                    "date and time", "date/time", "datetime"),
    "date": ("дата", "date", "дата транзакции"),
    "time": ("время", "time", "время операции"),
    "card": ("номер карты", "карта", "топливная карта", "card", "card number", "номер топливной карты"),
    "station": ("азс", "станция", "адрес азс", "место", "station", "торговая точка"),
    "product": ("товар", "продукт", "вид топлива", "услуга", "наименование товара", "product", "fuel"),
    "litres": ("количество", "литры", "литров", "объем", "кол-во", "количество литров", "litres", "liters",
               "quantity", "volume"),
    "price": ("цена", "цена за литр", "price"),
    "amount": ("сумма", "стоимость", "сумма операции", "amount", "sum"),
    "plate": ("госномер", "гос номер", "гос. номер", "номер тс", "номер автомобиля", "plate"),
}
LABELS = {
    "occurred_at": _l("Date and time"), "date": _l("Date"), "time": _l("Time"), "card": _l("Card number"),
    "station": _l("Station"), "product": _l("Product"), "litres": _l("Litres"), "price": _l("Price"),
    "amount": _l("Amount"), "plate": _l("Plate"),
}
REQUIRED = ("card", "product", "litres")
_KNOWN = {form: name for name, forms in FIELDS.items() for form in forms}

# What providers call the products (АИ-92, Аи 95 Премиум, ДТ Евро, СУГ…) → the vehicles' fuel types.
_PRODUCTS = ((re.compile(r"92"), FuelType.ai92), (re.compile(r"9[58]|100"), FuelType.ai95),
             (re.compile(r"\bдт\b|дизел|diesel|\bdt\b"), FuelType.diesel),
             (re.compile(r"газ|пропан|метан|суг|спбт|lpg|cng|gas"), FuelType.gas),
             (re.compile(r"электр|зарядк|electr|kwh|квт"), FuelType.electric))


def fuel_type_of(product: str) -> FuelType | None:
    form = (product or "").casefold().replace("ё", "е")
    return next((t for pattern, t in _PRODUCTS if pattern.search(form)), None)


def mapping_entity(provider_id: int) -> str:
    """The saved-mapping key of a provider: one mapping per provider."""
    return f"fuel_statement:{provider_id}"


@dataclass
class Result:
    added: int = 0
    skipped: int = 0  # already imported
    matched: int = 0  # put on a waybill
    unmatched: int = 0
    batch_id: str | None = None
    errors: list = field(default_factory=list)


class StatementRefused(Refused):
    """The file can't be imported; ``problems`` name the rows and columns."""


# --- reading ------------------------------------------------------------------------------------------

_DATETIME_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
                     "%d.%m.%y %H:%M", "%d.%m.%Y", "%Y-%m-%d"]


_RU_DATETIME = re.compile(r"(\d\d)\.(\d\d)\.(\d{4}) (\d\d):(\d\d)(?::(\d\d))?")


def _datetime(value) -> datetime:
    if isinstance(value, str):  # the usual «dd.mm.yyyy hh:mm[:ss]» read without strptime (a year is 50 000 lines)
        found = _RU_DATETIME.fullmatch(value.strip())
        if found:
            day, month, year, hour, minute, second = found.groups()
            try:
                return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
            except ValueError:
                raise CellError(_l("not a date and time (expected dd.mm.yyyy hh:mm): %(value)s", value=value)) \
                    from None
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time())
    raw = text(value)
    for fmt in _DATETIME_FORMATS:
        try:
            found = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        if fmt != _DATETIME_FORMATS[0]:  # a statement writes every row alike: try its format first next time
            _DATETIME_FORMATS.remove(fmt)
            _DATETIME_FORMATS.insert(0, fmt)
        return found
    raise CellError(_l("not a date and time (expected dd.mm.yyyy hh:mm): %(value)s", value=raw))


_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def _number(value):
    """A statement's number: plain ``12.50`` / ``12,50`` straight away, anything else as import_values reads it."""
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value):
        return Decimal(value.replace(",", ".")).quantize(CENTS, rounding=ROUND_HALF_UP)
    return decimal(value)


def _card(value) -> str:
    digits = re.sub(r"[\s\-]", "", text(value))
    if digits.endswith(".0"):
        digits = digits[:-2]
    if not digits.isdigit():
        raise CellError(_l("not a card number: %(value)s", value=text(value)))
    return digits


def read_statement(session, provider_id: int, data: bytes, mapping: dict | None = None):
    """(header forms, {column position: field}, rows as {field: raw value} with their row numbers).
    ``mapping`` ({header form: field or ""}) is the clerk's; else the provider's saved one; else the
    known headings."""
    book = open_file(data)
    sheet = book.sheets[0]
    saved = None

    def match(form):
        chosen = (mapping or {}).get(form) if mapping else None
        if chosen is None and saved is not None:
            chosen = saved.mapping.get(form)
        if chosen is None:
            chosen = _KNOWN.get(form)
        return chosen if chosen else NOT_FOUND

    head = book.head(sheet, 25)
    header = find_header(head, lambda form: _KNOWN.get(form, NOT_FOUND))
    if header is None:
        raise ImportFileError(_l("The file is empty."))
    forms = [header_form(t) for t in header.texts]
    saved = import_mappings.find(session, mapping_entity(provider_id), forms) if not mapping else None
    columns = {}
    for position, form in enumerate(forms):
        name = match(form) if form else NOT_FOUND
        if name is not NOT_FOUND and name in FIELDS and name not in columns.values():
            columns[position] = name
    if saved is not None:
        import_mappings.used(session, saved.id)
    last_header_row = header.rows[-1]

    def rows():
        for number, cells in book.rows(sheet):
            if number <= last_header_row:
                continue
            yield number, {name: cells[p] if p < len(cells) else None for p, name in columns.items()}

    return forms, columns, rows()


# --- import -------------------------------------------------------------------------------------------

def fingerprint(card: str, at: datetime, product: str, litres, amount) -> str:
    key = f"{card}|{at:%Y-%m-%dT%H:%M:%S}|{product.casefold()}|{litres}|{amount}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


class _Open:
    """Waybills by vehicle and by card, sorted by departure: the one open at a moment, by bisection."""

    def __init__(self, session, first: datetime, last: datetime):
        self.by_vehicle: dict[int, list] = {}
        self.by_card: dict[int, list] = {}
        w = Waybill
        rows = session.execute(select(w.id, w.vehicle_id, w.fuel_card_id, w.departure_at, w.return_at, w.valid_to)
                               .where(w.status != WaybillStatus.cancelled, w.departure_at <= last,
                                      w.valid_to >= first.date())).all()
        for row in sorted(rows, key=lambda r: r.departure_at):
            end = row.return_at or datetime.combine(row.valid_to, time(23, 59, 59))
            item = (row.departure_at, end, row.id, row.vehicle_id)
            self.by_vehicle.setdefault(row.vehicle_id, []).append(item)
            if row.fuel_card_id is not None:
                self.by_card.setdefault(row.fuel_card_id, []).append(item)
        self.starts = {k: [i[0] for i in v] for k, v in self.by_vehicle.items()}
        self.card_starts = {k: [i[0] for i in v] for k, v in self.by_card.items()}

    @staticmethod
    def _find(items, starts, at):
        if not items:
            return None
        i = bisect.bisect_right(starts, at) - 1
        if i >= 0 and items[i][0] <= at <= items[i][1]:
            return items[i]
        return None

    def at(self, card_id, vehicle_id, at: datetime):
        """The waybill that carried this card then, else the one of the card's vehicle."""
        return (self._find(self.by_card.get(card_id), self.card_starts.get(card_id), at)
                or self._find(self.by_vehicle.get(vehicle_id), self.starts.get(vehicle_id), at))


def import_statement(session, provider_id: int, data: bytes, filename: str = "", mapping: dict | None = None,
                     save_as: str | None = None) -> Result:
    """Read, check every row, skip what was imported before, match and write; raises StatementRefused."""
    provider = session.get(Supplier, provider_id)
    if provider is None:
        raise StatementRefused(_l("Choose the fuel provider of the statement."))
    forms, columns, rows = read_statement(session, provider_id, data, mapping)
    present = set(columns.values())
    missing = [str(LABELS[f]) for f in REQUIRED if f not in present]
    if "occurred_at" not in present and "date" not in present:
        missing.insert(0, str(LABELS["occurred_at"]))
    if missing:
        raise StatementRefused(_l("The statement has no column for: %(fields)s. Map its columns to the fields.",
                                  fields=", ".join(missing)))
    if save_as and mapping:
        import_mappings.save(session, mapping_entity(provider_id), save_as, forms, mapping)
    cards = {number: (cid, vid) for number, cid, vid in session.execute(
        select(FuelCard.number, FuelCard.id, FuelCard.vehicle_id).where(FuelCard.provider_id == provider_id))}
    parsed, errors = [], []
    for number, raw in rows:
        if all(is_empty(v) for v in raw.values()):
            continue
        row, ok = {}, True
        for name, parse in (("card", _card), ("litres", _number), ("price", _number), ("amount", _number)):
            value = raw.get(name)
            if is_empty(value):
                row[name] = None
                continue
            try:
                row[name] = parse(value)
            except CellError as exc:
                errors.append((number, LABELS[name], exc.message))
                ok = False
        if is_empty(raw.get("card")) or is_empty(raw.get("litres")) or is_empty(raw.get("product")):
            for name in REQUIRED:
                if is_empty(raw.get(name)):
                    errors.append((number, LABELS[name], _l("required")))
            continue
        try:
            if "occurred_at" in present:
                at = _datetime(raw.get("occurred_at"))
            else:
                at = datetime.combine(_datetime(raw.get("date")).date(),
                                      to_time(raw["time"]) if not is_empty(raw.get("time")) else time())
        except CellError as exc:
            errors.append((number, LABELS["occurred_at" if "occurred_at" in present else "date"], exc.message))
            ok = False
        if not ok:
            continue
        if row["card"] not in cards:
            errors.append((number, LABELS["card"], _l("no card %(n)s of this provider in the panel",
                                                     n=f"•••• {row['card'][-4:]}")))
            continue
        if row["litres"] == 0:
            errors.append((number, LABELS["litres"], _l("must not be zero")))
            continue
        plate = None
        if not is_empty(raw.get("plate")):
            try:
                plate = check_plate(text(raw["plate"]))
            except CheckError:
                plate = text(raw["plate"])[:12]
        product = text(raw["product"])[:100]
        parsed.append((row["card"], at, product, row["litres"], row["price"], row["amount"],
                       text(raw.get("station") or "")[:300] or None, plate))
    if errors:
        shown = [(None, _l("Row %(row)s, «%(column)s»: %(message)s", row=n, column=c, message=m))
                 for n, c, m in errors[:SHOWN_ERRORS]]
        if len(errors) > SHOWN_ERRORS:
            shown.append((None, _l("…and %(n)s more errors.", n=len(errors) - SHOWN_ERRORS)))
        raise StatementRefused(shown)
    result = Result()
    if not parsed:
        return result

    prints = {}
    for item in parsed:
        prints.setdefault(fingerprint(item[0], item[1], item[2], item[3], item[5]), item)
    result.skipped = len(parsed) - len(prints)
    keys = list(prints)
    for start in range(0, len(keys), CHUNK):
        for (known,) in session.execute(select(FuelTransaction.fingerprint)
                                        .where(FuelTransaction.fingerprint.in_(keys[start:start + CHUNK]))):
            prints.pop(known, None)
            result.skipped += 1
    if not prints:
        return result

    times = [item[1] for item in prints.values()]
    open_at = _Open(session, min(times), max(times))
    now = utcnow()
    audit = audit_context(session)
    if filename and not audit.comment:
        audit.comment = filename
    new_rows = []
    for key, (card, at, product, litres, price, amount, station, plate) in prints.items():
        card_id, vehicle_id = cards[card]
        found = open_at.at(card_id, vehicle_id, at)
        if found is not None:
            result.matched += 1
        new_rows.append({"fingerprint": key, "provider_id": provider_id, "card_id": card_id, "occurred_at": at,
                         "station": station, "product": product, "fuel_type": fuel_type_of(product),
                         "litres": litres, "price": price, "amount": amount, "plate": plate,
                         "vehicle_id": found[3] if found else vehicle_id, "waybill_id": found[2] if found else None,
                         "statement": (filename or "")[:255] or None, "imported_at": now})
    insert_rows(session.connection(), FuelTransaction.__table__, new_rows)
    result.added = len(new_rows)
    result.unmatched = result.added - result.matched
    ids = {}
    for start in range(0, len(keys), CHUNK):
        ids.update(session.execute(select(FuelTransaction.fingerprint, FuelTransaction.id)
                                   .where(FuelTransaction.fingerprint.in_(keys[start:start + CHUNK]))).all())
    record_changes(session, "import", FuelTransaction.__tablename__, {
        ids[r["fingerprint"]]: {"occurred_at": [None, r["occurred_at"].isoformat()],
                                "litres": [None, str(r["litres"])], "card_id": [None, r["card_id"]],
                                "waybill_id": [None, r["waybill_id"]]}
        for r in new_rows if r["fingerprint"] in ids})
    result.batch_id = audit.batch_id
    return result
