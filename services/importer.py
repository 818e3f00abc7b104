"""Import of reference data from a clerk's spreadsheet: a dry run that finds every error, then all or nothing.

``dry_run(session, entity, data)`` reads the file, matches its header to the entity's columns, parses
every row and compares it with the record of the same natural key: counts of new, changed and unchanged
rows, every error as (row, column, message), and old → new of every changed field.
``apply(session, preview)`` refuses a preview with errors, and writes everything set-based in the
caller's transaction (bulk INSERT, grouped executemany UPDATE with version + 1) with the change log under
one batch id, so the import can be undone like a bulk edit. The caller commits or rolls back.
"""
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, insert, select, update

from models import utcnow
from models.changelog import audit_context, plain, record_changes
from models.kinds import column_kind
from models.checks import CheckError
from models.registry import column_info, entities, label
from models.rules import Refused, judge

from . import import_mappings
from . import import_values as values
from .import_files import UNCALCULATED, ImportFileError, open_file
from .import_header import NOT_FOUND, SEARCH_ROWS, find_header, header_form
from .import_refs import resolver_for
from .import_values import CellError, CellWarning, normalise

KEY_CHUNK = 900  # natural keys looked up per query (below SQLite's bound-parameter limit)


@dataclass
class Field:
    """One importable column; its attribute, kind and whether it is required come from the model."""

    name: str  # as views name the column: "category", "inventory_number"
    check: Callable | None = None  # a models.checks function (value → normalised value)
    digits: tuple[int, ...] | None = None  # an identifier of digits: the lengths it may have
    example: object = None
    aliases: tuple = ()  # more header names (lazy strings) this column is known by

    def bind(self, model):
        mapper = model.__mapper__
        self.model = model
        self.target = None
        if self.name in mapper.relationships:
            rel = mapper.relationships[self.name]
            column = next(iter(rel.local_columns))
            self.target = rel.mapper.class_
            self.kind = "ref"
        else:
            column = mapper.columns[self.name]
            self.kind = column_kind(column)
        self.attr = mapper.get_property_by_column(column).key
        self.column = column
        default = column.default.arg if column.default is not None and not callable(column.default.arg) else None
        self.default = default
        self.nullable = column.nullable
        self.required = not column.nullable and default is None
        self.length = getattr(column.type, "length", None) if self.kind in ("text", "code") else None
        self.places = getattr(column.type, "scale", None) if self.kind == "number" else 2
        self._enum = None
        if self.digits:
            self.kind = "code"
        return self

    @property
    def label(self):
        return label(self.model, self.name)

    def parse_enum(self, raw):
        if self._enum is None:  # built on first use, inside the app, where both languages' labels are known
            self._enum = values.EnumParser(self.column.type.enum_class)
        return self._enum(raw)


@dataclass
class Spec:
    model: type
    key: tuple[str, ...]  # field names of the natural key
    fields: list[Field]
    unique: tuple[str, ...] = ()  # other unique columns (attribute names)

    def __post_init__(self):
        self.by_name = {f.name: f.bind(self.model) for f in self.fields}

    @property
    def entity(self):
        return self.model.__tablename__


# Specs derived from the registry: a model's ``importable`` attributes, natural key and column facts ----------

def _field_name(model, attr: str) -> str:
    """The name views use for an attribute: a foreign key by its relationship («category»)."""
    mapper = model.__mapper__
    for rel in mapper.relationships:
        if rel.direction.name == "MANYTOONE" and len(rel.local_columns) == 1 and \
                mapper.get_property_by_column(next(iter(rel.local_columns))).key == attr:
            return rel.key
    return attr


def spec_for(model) -> Spec:
    fields = []
    for attr in model.importable:
        info = column_info(model, attr)
        fields.append(Field(_field_name(model, attr), check=info.get("check"), digits=info.get("digits"),
                            example=info.get("example"), aliases=info.get("aliases", ())))
    key = tuple(_field_name(model, attr) for attr in model.natural_key)
    unique = tuple(c.key for c in model.__table__.columns
                   if c.unique and c.key in model.importable and c.key not in model.natural_key)
    return Spec(model, key=key, fields=fields, unique=unique)


SPECS = {model.__tablename__: spec_for(model) for model in entities() if getattr(model, "importable", None)}


# Header words clerks use besides the export's headers and the fields' labels (matched by header_form).
HEADER_SYNONYMS = {
    "asset": {"inventory_number": ("Инвентарный номер", "Инвентарный номер объекта", "Инв. номер ОС"),
              "name": ("Наименование объекта", "Наименование ОС", "Наименование основного средства"),
              "responsible": ("МОЛ", "Ответственный", "Материально ответственное лицо", "Ответственное лицо (МОЛ)"),
              "book_value": ("Балансовая стоимость", "Стоимость балансовая", "Первоначальная стоимость"),
              "depreciation": ("Амортизация", "Сумма амортизации", "Износ"),
              "category": ("Группа ОС", "Группа основных средств"),
              "serial_number": ("Заводской номер", "Серийный номер"),
              "useful_life_months": ("Срок полезного использования", "СПИ"),
              "balance_account": ("Счёт", "Счет учета", "Счёт учёта")},
    "employee": {"personnel_number": ("Табельный номер", "Таб. номер"), "full_name": ("ФИО", "Сотрудник", "Ф.И.О."),
                 "is_responsible": ("МОЛ",)},
    "supplier": {"full_name": ("Наименование", "Полное наименование организации"),
                 "short_name": ("Краткое наименование",), "settlement_account": ("Р/с", "Расчетный счет")},
}
TOTALS = re.compile(r"^(итого|всего|total|totals|grand total)\b")  # «Итого», «ИТОГО:», «Итого по ведомости»
TOTALS_INITIALS = set("ИиВвTtGg")  # a cheap first look before the pattern, on every cell of every row


# Results -------------------------------------------------------------------------------------------

@dataclass
class RowError:
    row: int | None  # None: about the file, not a row
    column: str | None  # the header as written in the file
    message: object  # lazy string


@dataclass
class FieldChange:
    column: str
    old: object
    new: object


@dataclass
class Changed:
    row: int
    record_id: int
    key: str
    fields: list[FieldChange]


@dataclass
class ColumnMap:
    """One column of the file and what it is imported as; the mapping step shows and edits these."""

    position: int
    header: str  # as written (two header rows joined)
    form: str  # header_form(header): the key of a saved or chosen mapping
    field: str | None  # the field it fills; None: not imported
    auto: str | None  # the field its header names, before any choice
    status: str  # mapped, unknown, calculated, skipped (by the clerk)
    sample: str = ""  # the first data row's value, to recognise the column


@dataclass
class Preview:
    entity: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # to be accepted before apply
    skipped: list[RowError] = field(default_factory=list)  # totals lines
    changes: list[Changed] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    columns: list[ColumnMap] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    suggested_sheet: str | None = None
    header_rows: list[int] = field(default_factory=list)
    mapping_name: str | None = None  # the saved mapping applied by itself
    mapping_id: int | None = None
    fatal: object = None  # a lazy message when the file can't be imported at all
    creates: list[dict] = field(default_factory=list, repr=False)
    created_rows: list[int] = field(default_factory=list, repr=False)  # the file row of each create
    updates: list = field(default_factory=list, repr=False)  # (id, version, {attr: new}, {attr: [old, new]})

    @property
    def ok(self) -> bool:
        return self.fatal is None and not self.errors

    @property
    def rows(self) -> int:
        return self.new + self.changed + self.unchanged + self.error_rows

    @property
    def forms(self) -> list[str]:
        return [c.form for c in self.columns]

    @property
    def mapping(self) -> dict[str, str]:
        return {c.form: c.field or "" for c in self.columns if c.form}


PLAN_CLASSES = (RowError, FieldChange, Changed, ColumnMap, Preview)  # what services.import_plan may rebuild


@dataclass
class ImportResult:
    batch_id: str
    created: int
    updated: int
    unchanged: int


class ImportRefused(Refused):
    """apply() was asked to write a file whose dry run has errors."""

    def __init__(self, preview: Preview, message=None):
        super().__init__(message or preview.fatal or _l("The file has errors; nothing was imported."))
        self.preview = preview


class WarningsNotAccepted(ImportRefused):
    def __init__(self, preview: Preview):
        super().__init__(preview, _l("Accept the warnings of the preview first; nothing was imported."))


# Headers -------------------------------------------------------------------------------------------

def _header_form(text) -> str:
    return header_form(text)


def header_aliases(spec: Spec, columns: Iterable[tuple[str, Iterable[str]]] = ()) -> dict[str, str | None]:
    """Header form → field name (None: a known column that is not imported, e.g. residual value).

    Headers are the view's table columns (as exports write them, in Russian and English), the fields'
    labels in both languages, their attribute names and the words clerks use (HEADER_SYNONYMS).
    """
    aliases: dict[str, str | None] = {}
    for name, headers in columns or ():
        for header in headers:
            aliases.setdefault(_header_form(header), name if name in spec.by_name else None)
    for f in spec.fields:
        for lazy in (f.label, *f.aliases):
            for form in values.in_both_languages(lazy):
                aliases.setdefault(_header_form(form), f.name)
        aliases.setdefault(_header_form(f.name), f.name)
        aliases.setdefault(_header_form(f.attr), f.name)
    for name, words in HEADER_SYNONYMS.get(spec.entity, {}).items():
        for word in words:
            aliases.setdefault(_header_form(word), name)
    return aliases


# Parsing -------------------------------------------------------------------------------------------

# Codes of digit groups a number cell garbles (trailing zeros of «101.30» or «310.00» lost); may a whole
# number stand for one (the off-balance account «21»)?
DOTTED_CODES = {"balance_account": True, "okof_code": False}


def _is_number_cell(raw) -> bool:
    return isinstance(raw, (int, float)) and not isinstance(raw, bool)


def _parse(f: Field, raw, resolvers):
    """The cell as the field's value; CellError if it can't be, CellWarning if read with a correction."""
    if raw is UNCALCULATED:
        raise CellError(_l("the file was saved without calculated values — open and save it in Excel or "
                           "LibreOffice, then upload it again"))
    if values.is_empty(raw):
        return None
    kind = f.kind
    if kind == "ref":
        return resolvers[f.target](raw)
    if kind == "enum":
        return f.parse_enum(raw)
    if kind == "money":
        return values.decimal(raw, 2)
    if kind == "number":
        return values.decimal(raw, f.places)
    if kind == "int":
        return values.integer(raw)
    if kind == "date":
        return values.to_date(raw)
    if kind == "time":
        return values.to_time(raw)
    if kind == "bool":
        return values.boolean(raw)
    if f.attr in DOTTED_CODES and _is_number_cell(raw):
        result = values.dotted_code(raw, whole=DOTTED_CODES[f.attr])
    else:
        result = values.code(raw, f.digits) if kind == "code" else values.text(raw)
    if result == "":
        return None
    if f.check:
        try:
            result = f.check(result)
        except CheckError as exc:
            raise CellError(exc.message) from None
    if f.length and len(result) > f.length:
        raise CellError(_l("too long: at most %(n)s characters", n=f.length))
    return result


def _same(old, new) -> bool:
    if old in (None, "") or new in (None, ""):
        return old in (None, "") and new in (None, "")
    return old == new  # Decimal('1.5') == Decimal('1.50'); a str enum equals its member


def _display(f: Field, value, resolvers):
    if f.kind == "ref" and value is not None:
        return resolvers[f.target].display(value)
    return value


def _key(spec: Spec, row: dict) -> tuple:
    return tuple("" if row.get(spec.by_name[n].attr) is None else row.get(spec.by_name[n].attr) for n in spec.key)


def _partial_key(spec: Spec, key: tuple) -> tuple:
    """The key with its optional parts blanked: a supplier's ИНН without its КПП."""
    return tuple("" if spec.by_name[n].nullable and i else v for i, (n, v) in enumerate(zip(spec.key, key)))


def _load_existing(session, spec: Spec, keys: set[tuple]) -> tuple[dict[tuple, dict], dict[tuple, list]]:
    """The records the file's natural keys name: key → {id, version, attr: value}, and partial key → records.

    Chunked IN on the key's first column, no per-row query.
    """
    table = spec.model.__table__
    attrs = [f.attr for f in spec.fields]
    columns = [table.c.id, table.c.version] + [table.c[a] for a in attrs]
    first = table.c[spec.by_name[spec.key[0]].attr]
    wanted = sorted({k[0] for k in keys}, key=str)
    found, partial = {}, {}
    optional = len(spec.key) > 1 and any(spec.by_name[n].nullable for n in spec.key[1:])
    for start in range(0, len(wanted), KEY_CHUNK):
        chunk = wanted[start:start + KEY_CHUNK]
        for row in session.execute(select(*columns).where(first.in_(chunk))):
            record = dict(zip(["id", "version"] + attrs, row))
            key = _key(spec, record)
            if key in keys:
                found[key] = record
            if optional:
                partial.setdefault(_partial_key(spec, key), []).append(record)
    return found, partial


def _padded_candidates(session, spec: Spec, attr: str, digits: set[str]) -> dict[str, list[str]]:
    """For values of digits, the existing keys that are the same number with leading zeros: 123 → 000123."""
    column = spec.model.__table__.c[attr]
    widths = sorted(w for (w,) in session.execute(
        select(func.length(column)).where(column.like("0%")).distinct()) if w)
    variants: dict[str, str] = {}
    for value in digits:
        for width in widths:
            if width > len(value):
                variants["0" * (width - len(value)) + value] = value
    found: dict[str, list[str]] = {}
    items = sorted(variants)
    for start in range(0, len(items), KEY_CHUNK):
        for (existing,) in session.execute(select(column).where(column.in_(items[start:start + KEY_CHUNK]))):
            found.setdefault(variants[existing], []).append(existing)
    return found


def _ids_by_key(session, spec: Spec, keys: list[tuple]) -> dict[tuple, int]:
    table = spec.model.__table__
    key_columns = [table.c[spec.by_name[n].attr] for n in spec.key]
    wanted = sorted({k[0] for k in keys}, key=str)
    ids = {}
    for start in range(0, len(wanted), KEY_CHUNK):
        rows = session.execute(select(table.c.id, *key_columns).where(key_columns[0].in_(wanted[start:start + KEY_CHUNK])))
        for record_id, *key in rows:
            ids[tuple("" if v is None else v for v in key)] = record_id
    return ids


def _unique_owners(session, spec: Spec, attr: str, wanted: set) -> dict:
    column = spec.model.__table__.c[attr]
    owners = {}
    items = sorted(wanted, key=str)
    for start in range(0, len(items), KEY_CHUNK):
        for value, record_id in session.execute(
                select(column, spec.model.__table__.c.id).where(column.in_(items[start:start + KEY_CHUNK]))):
            owners[value] = record_id
    return owners


def _totals_word(cells: list) -> str | None:
    """The «Итого…» / «Всего…» a totals line starts with, if the row has one."""
    for c in cells:
        if isinstance(c, str) and len(c) < 80 and c.lstrip()[:1] in TOTALS_INITIALS and TOTALS.match(normalise(c)):
            return c.strip()
    return None


# The dry run ----------------------------------------------------------------------------------------

def dry_run(session, entity: str, data: bytes, filename: str = "",
            columns: Iterable[tuple[str, Iterable[str]]] = (), choices: dict | None = None) -> Preview:
    """Check the file as the clerk's ``choices`` say: {"sheet": name, "mapping": {header form: field or ""}}.

    Without a chosen mapping, a saved mapping for files with these headers is applied by itself.
    """
    spec = SPECS[entity]
    preview = Preview(entity=entity)
    aliases = header_aliases(spec, columns)
    choices = choices or {}
    try:
        book = open_file(data)
        table = _choose_sheet(book, aliases, choices.get("sheet"), preview)
        if table is None:
            return preview
        header, rows = table
        _map_columns(session, spec, header, rows, aliases, choices, preview)
        if preview.fatal is None:
            _dry_run(session, spec, header, rows, preview)
        return preview
    except ImportFileError as exc:
        preview.fatal = exc.message
        return preview


def _match_in(aliases):
    return lambda form: aliases.get(form, NOT_FOUND)


def _choose_sheet(book, aliases, wanted, preview: Preview):
    """The sheet the clerk chose, else the one whose header matches best; (header, its data rows)."""
    match = _match_in(aliases)
    preview.sheets = book.sheets if book.kind != "text" else []
    found = {}
    names = book.sheets if len(book.sheets) > 1 else book.sheets[:1]
    for name in names:
        head = book.head(name, SEARCH_ROWS + 1)
        found[name] = (find_header(head, match), head)
    scored = [n for n in names if found[n][0] is not None]
    if not scored:
        preview.fatal = _l("The file has no rows.")
        return None
    suggested = max(scored, key=lambda n: (found[n][0].score, -names.index(n)))
    preview.suggested_sheet = suggested if len(names) > 1 else None
    chosen = wanted if wanted in scored else suggested
    preview.sheet = chosen if len(names) > 1 else None
    header, head = found[chosen]
    preview.header_rows = header.rows
    last = header.rows[-1]
    header.samples = [cells for number, cells in head if number > last]
    rows = ((number, cells) for number, cells in book.rows(chosen) if number > last)
    return header, rows


def _map_columns(session, spec: Spec, header, rows, aliases, choices, preview: Preview):
    forms = [header_form(t) if t else "" for t in header.texts]
    chosen = choices.get("mapping")
    if chosen is None:
        saved = import_mappings.find(session, spec.entity, forms)
        if saved is not None:
            chosen = saved.mapping
            preview.mapping_name, preview.mapping_id = saved.name, saved.id
    chosen = chosen or {}
    for position, (text, form) in enumerate(zip(header.texts, forms)):
        if not text:
            continue
        auto = aliases.get(form, NOT_FOUND)
        if form in chosen:
            name = chosen[form] or None
            if name is not None and name not in spec.by_name:
                name = None
            status = "mapped" if name else ("skipped" if auto is not NOT_FOUND or chosen[form] == "" else "unknown")
        elif auto is NOT_FOUND:
            name, status = None, "unknown"
        elif auto is None:
            name, status = None, "calculated"
        else:
            name, status = auto, "mapped"
        sample = next((values.text(cells[position])[:60] for cells in header.samples if position < len(cells)
                       and not values.is_empty(cells[position]) and cells[position] is not UNCALCULATED), "")
        preview.columns.append(ColumnMap(position, text, form, name, auto if isinstance(auto, str) else None,
                                         status, sample))
        if status == "unknown":
            preview.unknown_columns.append(text)
        elif status in ("calculated", "skipped"):
            preview.ignored_columns.append(text)
    seen: dict[str, str] = {}
    for column in preview.columns:
        if column.field is None:
            continue
        if column.field in seen:
            preview.fatal = _l("The columns «%(first)s» and «%(second)s» mean the same field; keep one of them.",
                               first=seen[column.field], second=column.header)
            return
        seen[column.field] = column.header
    if not seen:
        preview.fatal = _l("No column of the file is recognised; choose the field of each column below "
                           "or check that the file has a header row.")
        return
    missing_key = [str(spec.by_name[n].label) for n in spec.key if n not in seen and not spec.by_name[n].nullable]
    if missing_key:
        preview.fatal = _l("Required columns are missing: %(columns)s.", columns=", ".join(missing_key))


def _dry_run(session, spec: Spec, header, rows, preview: Preview) -> Preview:
    mapping = [(c.position, spec.by_name[c.field], c.header) for c in preview.columns if c.field]
    mapped = {f.name for _, f, _ in mapping}
    resolvers = {f.target: resolver_for(f.target)(session) for _, f, _ in mapping if f.kind == "ref"}
    header_of = {f.attr: h for _, f, h in mapping}
    key_fields = [spec.by_name[n] for n in spec.key]
    zero_keys = [f for f in key_fields if f.kind == "text"] if len(spec.key) == 1 else []
    numeric = [(position, f) for position, f, _ in mapping if f.kind in ("money", "number", "int")]
    key_positions = [p for p, f, _ in mapping if f.name in spec.key]
    zero_positions = [p for p, f, _ in mapping if any(f is z for z in zero_keys)]
    sums = {f.attr: Decimal(0) for _, f in numeric}

    # Pass 1: parse every cell; skip totals lines; collect the natural keys.
    parsed = []  # (row number, {attr: value}, [errors], [warnings], numeric key cell)
    unique_seen: dict[str, dict] = {attr: {} for attr in spec.unique if attr in header_of}
    for number, cells in rows:
        word = _totals_word(cells)
        key_cells = [cells[p] if p < len(cells) else None for p in key_positions]
        if word is not None and all(values.is_empty(c) or (isinstance(c, str) and c.strip() == word)
                                    for c in key_cells):
            preview.skipped.append(RowError(number, None, _l("a totals line («%(text)s») is skipped", text=word)))
            continue
        row, errors, warnings = {}, [], []
        for position, f, column in mapping:
            raw = cells[position] if position < len(cells) else None
            try:
                row[f.attr] = _parse(f, raw, resolvers)
            except CellWarning as note:
                row[f.attr] = note.value
                warnings.append(RowError(number, column, note.message))
            except CellError as exc:
                errors.append(RowError(number, column, exc.message))
        if _only_sums(row, key_fields, numeric, sums, errors):
            preview.skipped.append(RowError(number, None, _l("a line of sums without a key is skipped")))
            continue
        for _, f in numeric:
            if row.get(f.attr) is not None:
                sums[f.attr] += row[f.attr]
        number_key = any(_is_number_cell(cells[p]) for p in zero_positions if p < len(cells))
        for f in key_fields:
            if f.name in mapped and row.get(f.attr) is None and not f.nullable and \
                    not any(e.column == header_of[f.attr] for e in errors):
                errors.append(RowError(number, header_of[f.attr], _l("required: it identifies the record")))
        for attr, taken in unique_seen.items():
            value = row.get(attr)
            if value is not None:
                if value in taken and taken[value] != number:
                    errors.append(RowError(number, header_of[attr], _l("the same value as row %(row)s",
                                                                         row=taken[value])))
                taken.setdefault(value, number)
        parsed.append((number, row, errors, warnings, number_key))

    # Keys that lost their leading zeros: 123 is the existing 000123 when exactly one key pads to it.
    padded = {}
    if zero_keys and zero_keys[0].name in mapped:
        attr = zero_keys[0].attr
        digits = {row[attr] for _, row, errors, _, _ in parsed
                  if not errors and isinstance(row.get(attr), str) and row[attr].isdigit()}
        exact = set(_unique_owners(session, spec, attr, digits)) if digits else set()
        padded = _padded_candidates(session, spec, attr, digits - exact) if digits - exact else {}
        for number, row, errors, warnings, number_key in parsed:
            value = row.get(attr)
            if errors or value is None or value in exact:
                continue
            candidates = padded.get(value, [])
            if len(candidates) == 1:
                row[attr] = candidates[0]
                warnings.append(RowError(number, header_of[attr], _l(
                    "«%(value)s» lost its leading zeros; taken as the existing «%(key)s»",
                    value=value, key=candidates[0])))
            elif number_key:
                errors.append(RowError(number, header_of[attr], _zeros_lost(value)))

    first_row_of: dict[tuple, int] = {}
    for number, row, errors, _, _ in parsed:
        if errors:
            continue
        key = _key(spec, row)
        if key in first_row_of:
            errors.append(RowError(number, header_of[key_fields[0].attr],
                                   _l("the same record as row %(row)s", row=first_row_of[key])))
        else:
            first_row_of[key] = number

    existing, partial = _load_existing(session, spec, set(first_row_of))
    owners = {attr: _unique_owners(session, spec, attr, set(taken)) for attr, taken in unique_seen.items()}
    missing_for_create = [f for f in spec.fields if f.required and f.name not in mapped]

    # Pass 2: compare with the records; row rules; plan the writes.
    for number, row, errors, warnings, _ in parsed:
        key = _key(spec, row)
        old = existing.get(key)
        if old is None and not errors and key != _partial_key(spec, key):
            pass  # a full key the database doesn't have: a new record
        elif old is None and not errors and len(spec.key) > 1:
            # The optional part of the key is empty (a supplier file without КПП): match by the rest
            # when exactly one record has it.
            same = partial.get(key, [])
            if len(same) == 1:
                old = same[0]
                for n in spec.key:
                    if row.get(spec.by_name[n].attr) is None:
                        row.pop(spec.by_name[n].attr, None)
            elif len(same) > 1:
                errors.append(RowError(number, header_of[key_fields[0].attr], _l(
                    "%(n)s records have this %(field)s; add the column «%(other)s» to tell them apart",
                    n=len(same), field=key_fields[0].label, other=key_fields[1].label)))
        failed = {e.column for e in errors}  # a cell that failed to parse is reported once
        if old is not None:
            for attr, value in row.items():
                f = _field_by_attr(spec, attr)
                if value is None and not f.nullable and header_of[attr] not in failed:
                    errors.append(RowError(number, header_of[attr], _l("cannot be empty")))
        else:
            if missing_for_create:
                preview.fatal = _l("Required columns are missing for new records: %(columns)s.",
                                   columns=", ".join(str(f.label) for f in missing_for_create))
            for f in spec.fields:
                if f.required and f.name in mapped and row.get(f.attr) is None and header_of[f.attr] not in failed:
                    errors.append(RowError(number, header_of[f.attr], _l("required")))
        for attr, attr_owners in owners.items():
            owner = attr_owners.get(row.get(attr))
            if owner is not None and (old is None or owner != old["id"]):
                errors.append(RowError(number, header_of[attr], _l("already belongs to another record")))
        if not errors:
            # The model's rule set judges the record after the change, as a form or a bulk edit would.
            before = None if old is None else {k: v for k, v in old.items() if k not in ("id", "version")}
            merged = {**({f.attr: f.default for f in spec.fields} if old is None else before), **row}
            judged, problems = judge(spec.model, before, merged)
            for attr, message in problems:
                f = _field_by_attr(spec, attr) if attr else None
                errors.append(RowError(number, header_of.get(attr, str(f.label) if f else None), message))
            row.update({k: v for k, v in judged.items() if k in merged and not _same(merged[k], v)})
        if errors:
            preview.errors.extend(errors)
            preview.error_rows += 1
            continue
        preview.warnings.extend(warnings)
        if old is None:
            preview.new += 1
            preview.creates.append({f.attr: row[f.attr] if row.get(f.attr) is not None else f.default
                                    for f in spec.fields})
            preview.created_rows.append(number)
            continue
        changed = {attr: (old[attr], value) for attr, value in row.items() if not _same(old[attr], value)}
        if not changed:
            preview.unchanged += 1
            continue
        preview.changed += 1
        preview.updates.append((old["id"], old["version"], {a: new for a, (_, new) in changed.items()},
                                {a: [plain(o), plain(n)] for a, (o, n) in changed.items()}))
        preview.changes.append(Changed(
            row=number, record_id=old["id"],
            key=" / ".join(str(_display(spec.by_name[n], old[spec.by_name[n].attr], resolvers)) for n in spec.key
                           if old[spec.by_name[n].attr] is not None),
            fields=[FieldChange(header_of.get(a) or str(_field_by_attr(spec, a).label),
                                _display(_field_by_attr(spec, a), o, resolvers),
                                _display(_field_by_attr(spec, a), n, resolvers)) for a, (o, n) in changed.items()]))
    return preview


def describe_creates(session, spec: Spec, rows: list[tuple[int, dict]], names: list[str]) -> list[tuple[int, list]]:
    """(file row, value of each named field) of planned new records; references by how lists show them."""
    shown = {}
    for name in names:
        f = spec.by_name[name]
        ids = {create.get(f.attr) for _, create in rows} - {None}
        if f.kind == "ref" and ids:
            shown[f.attr] = {r.id: str(r) for r in session.scalars(select(f.target).where(f.target.id.in_(ids)))}
    return [(number, [shown[a].get(create.get(a)) if a in shown else create.get(a)
                      for a in (spec.by_name[n].attr for n in names)]) for number, create in rows]


def _zeros_lost(value):
    return _l("the cell is a number (%(value)s): leading zeros, if it had any, are lost; format the column as "
              "text and type the value again", value=values.text(value))


def _only_sums(row, key_fields, numeric, sums, errors) -> bool:
    """A row with only numbers, no key, and a number equal to the sum of its column above: a totals line."""
    if errors or not numeric or any(row.get(f.attr) is not None for f in key_fields):
        return False
    filled = {attr for attr, value in row.items() if value is not None}
    numeric_attrs = {f.attr for _, f in numeric}
    if not filled or not filled <= numeric_attrs:
        return False
    return any(row[attr] == sums[attr] and sums[attr] != 0 for attr in filled)


def _field_by_attr(spec: Spec, attr: str) -> Field:
    return next(f for f in spec.fields if f.attr == attr)


# Apply ----------------------------------------------------------------------------------------------

class ConcurrentChange(RuntimeError):
    pass


def apply(session, preview: Preview, filename: str = "", accept_warnings: bool = False) -> ImportResult:
    """Write what a clean dry run planned, all of it, in the session's transaction (the caller commits).

    The plan may come from an earlier request, on another worker (the clerk confirmed what they saw):
    an update applies only if the record still has the version the dry run read, and the database's
    constraints refuse a duplicate or a reference deleted meanwhile — either way the caller rolls
    everything back. Warnings (keys taken with their zeros restored) must have been accepted.
    """
    if not preview.ok:
        raise ImportRefused(preview)
    if preview.warnings and not accept_warnings:
        raise WarningsNotAccepted(preview)
    spec = SPECS[preview.entity]
    table = spec.model.__table__
    audit = audit_context(session)
    if filename and not audit.comment:
        audit.comment = filename
    connection = session.connection()
    now = utcnow()

    created = {}
    if preview.creates:
        # Plain executemany (no RETURNING: several times faster on SQLite); ids are read back by natural key.
        connection.execute(insert(table), preview.creates)
        ids = _ids_by_key(session, spec, [_key(spec, row) for row in preview.creates])
        for row in preview.creates:
            created[ids[_key(spec, row)]] = {attr: [None, plain(value)] for attr, value in row.items()
                                              if value is not None}

    groups: dict[tuple, list] = {}
    for record_id, version, new_values, _ in preview.updates:
        groups.setdefault(tuple(sorted(new_values)), []).append(
            {"_id": record_id, "_version": version, **{f"v_{a}": v for a, v in new_values.items()}})
    for attrs, rows in groups.items():
        statement = (update(table)
                     .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
                     .values({**{table.c[a]: bindparam(f"v_{a}", type_=table.c[a].type) for a in attrs},
                              table.c.version: table.c.version + 1, table.c.updated_at: now}))
        result = connection.execute(statement, rows)
        if connection.dialect.supports_sane_multi_rowcount and result.rowcount != len(rows):
            raise ConcurrentChange(_l("Some records were changed by someone else during the import; "
                                      "nothing was imported. Upload the file again."))

    record_changes(session, "import", spec.entity, created)
    record_changes(session, "import", spec.entity, {record_id: changes for record_id, _, _, changes in preview.updates})
    if preview.mapping_id is not None:
        import_mappings.used(session, preview.mapping_id)
        session.flush()
    session.expire_all()
    return ImportResult(batch_id=audit.batch_id, created=len(created), updated=len(preview.updates),
                        unchanged=preview.unchanged)


def import_file(session, entity: str, data: bytes, filename: str = "",
                columns: Iterable[tuple[str, Iterable[str]]] = (), choices: dict | None = None,
                accept_warnings: bool = False) -> ImportResult:
    """Dry run and, if clean, apply in one go (raises ImportRefused with the preview otherwise)."""
    return apply(session, dry_run(session, entity, data, filename, columns, choices), filename, accept_warnings)


def example_row(session, entity: str) -> dict[str, object]:
    """A plausible row for the template: the fields' examples, references taken from existing records."""
    spec = SPECS[entity]
    row = {}
    for f in spec.fields:
        if f.kind == "ref":
            first = session.scalar(select(f.target).limit(1))
            row[f.name] = str(first) if first is not None else None
        elif f.kind == "enum" and f.example is None:
            row[f.name] = next(iter(f.column.type.enum_class))
        else:
            row[f.name] = f.example
    return row
