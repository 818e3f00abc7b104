"""Import of reference data from a clerk's spreadsheet: a dry run that finds every error, then all or nothing.

``dry_run(session, entity, data)`` reads the file, matches its header to the entity's columns, parses
every row and compares it with the record of the same natural key: counts of new, changed and unchanged
rows, every error as (row, column, message), and old → new of every changed field.
``apply(session, preview)`` refuses a preview with errors, and writes everything set-based in the
caller's transaction (bulk INSERT, grouped executemany UPDATE with version + 1) with the change log under
one batch id, so the import can be undone like a bulk edit. The caller commits or rolls back.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, insert, select, update

from models import utcnow
from models.changelog import audit_context, plain, record_changes
from models.kinds import column_kind
from models.checks import CheckError
from models.labels import field_label
from models.registry import column_info, entities
from models.rules import Refused, judge

from . import import_values as values
from .import_files import ImportFileError, read_table
from .import_refs import resolver_for
from .import_values import CellError, normalise

KEY_CHUNK = 900  # natural keys looked up per query (below SQLite's bound-parameter limit)
TOTALS_WORDS = {"итого", "всего", "total", "totals"}  # the totals line an export writes under the table


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
        return field_label(self.name)

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
class Preview:
    entity: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[Changed] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    fatal: object = None  # a lazy message when the file can't be imported at all
    creates: list[dict] = field(default_factory=list, repr=False)
    updates: list[tuple] = field(default_factory=list, repr=False)  # (id, version, {attr: new}, {attr: [old, new]})

    @property
    def ok(self) -> bool:
        return self.fatal is None and not self.errors

    @property
    def rows(self) -> int:
        return self.new + self.changed + self.unchanged + self.error_rows


@dataclass
class ImportResult:
    batch_id: str
    created: int
    updated: int
    unchanged: int


class ImportRefused(Refused):
    """apply() was asked to write a file whose dry run has errors."""

    def __init__(self, preview: Preview):
        super().__init__(preview.fatal or _l("The file has errors; nothing was imported."))
        self.preview = preview


# Headers -------------------------------------------------------------------------------------------

def _header_form(text) -> str:
    return normalise(text).rstrip("*: ").strip()


def header_aliases(spec: Spec, columns: Iterable[tuple[str, Iterable[str]]] = ()) -> dict[str, str | None]:
    """Normalised header → field name (None: a known column that is not imported, e.g. residual value).

    Headers are the view's table columns (as exports write them, in Russian and English), the fields'
    labels in both languages and their attribute names.
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
    return aliases


# Parsing -------------------------------------------------------------------------------------------

def _parse(f: Field, raw, resolvers):
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
    if kind == "bool":
        return values.boolean(raw)
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


def _load_existing(session, spec: Spec, keys: set[tuple]) -> dict[tuple, dict]:
    """The records the file's natural keys name: key → {id, version, attr: value}; chunked IN, no per-row query."""
    table = spec.model.__table__
    attrs = [f.attr for f in spec.fields]
    columns = [table.c.id, table.c.version] + [table.c[a] for a in attrs]
    first = table.c[spec.by_name[spec.key[0]].attr]
    wanted = sorted({k[0] for k in keys}, key=str)
    found = {}
    for start in range(0, len(wanted), KEY_CHUNK):
        chunk = wanted[start:start + KEY_CHUNK]
        for row in session.execute(select(*columns).where(first.in_(chunk))):
            record = dict(zip(["id", "version"] + attrs, row))
            key = _key(spec, record)
            if key in keys:
                found[key] = record
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


def _is_totals_line(cells: list) -> bool:
    """«Итого» and numbers only: the SUBTOTAL line an export writes under the table, not a record."""
    if not any(isinstance(c, str) and len(c) < 12 and c.strip().casefold() in TOTALS_WORDS for c in cells):
        return False
    words = {normalise(c) for c in cells if isinstance(c, str) and c.strip()}
    return bool(words) and words <= TOTALS_WORDS


# The dry run ----------------------------------------------------------------------------------------

def dry_run(session, entity: str, data: bytes, filename: str = "",
            columns: Iterable[tuple[str, Iterable[str]]] = ()) -> Preview:
    spec = SPECS[entity]
    preview = Preview(entity=entity)
    aliases = header_aliases(spec, columns)
    try:
        table = read_table(data, filename, score=lambda cells: sum(
            1 for c in cells if isinstance(c, str) and _header_form(c) in aliases))
        return _dry_run(session, spec, table, aliases, preview)
    except ImportFileError as exc:
        preview.fatal = exc.message
        return preview


def _dry_run(session, spec: Spec, table, aliases, preview: Preview) -> Preview:
    mapping: list[tuple[int, Field, str]] = []  # (position, field, header as written)
    seen: dict[str, str] = {}
    for position, header in enumerate(table.headers):
        if not header:
            continue
        form = _header_form(header)
        if form not in aliases:
            preview.unknown_columns.append(header)
            continue
        name = aliases[form]
        if name is None:
            preview.ignored_columns.append(header)
        elif name in seen:
            preview.fatal = _l("The columns «%(first)s» and «%(second)s» mean the same field; keep one of them.",
                               first=seen[name], second=header)
            return preview
        else:
            seen[name] = header
            mapping.append((position, spec.by_name[name], header))
    if not mapping:
        preview.fatal = _l("No column of the file is recognised; the first row must hold the column headers.")
        return preview
    mapped = {f.name for _, f, _ in mapping}
    missing_key = [str(spec.by_name[n].label) for n in spec.key if n not in mapped and not spec.by_name[n].nullable]
    if missing_key:
        preview.fatal = _l("Required columns are missing: %(columns)s.", columns=", ".join(missing_key))
        return preview

    resolvers = {f.target: resolver_for(f.target)(session) for _, f, _ in mapping if f.kind == "ref"}
    header_of = {f.attr: header for _, f, header in mapping}

    # Pass 1: parse every cell; collect the natural keys.
    parsed = []  # (row number, {attr: value}, [errors])
    first_row_of: dict[tuple, int] = {}
    unique_seen: dict[str, dict] = {attr: {} for attr in spec.unique if any(f.attr == attr for _, f, _ in mapping)}
    for number, cells in table.rows:
        if _is_totals_line(cells):
            continue
        row, errors = {}, []
        for position, f, header in mapping:
            raw = cells[position] if position < len(cells) else None
            try:
                row[f.attr] = _parse(f, raw, resolvers)
            except CellError as exc:
                errors.append(RowError(number, header, exc.message))
        key = _key(spec, row)
        for n in spec.key:
            f = spec.by_name[n]
            if f.name in mapped and row.get(f.attr) is None and not f.nullable and \
                    not any(e.column == header_of[f.attr] for e in errors):
                errors.append(RowError(number, header_of[f.attr], _l("required: it identifies the record")))
        if not errors:
            if key in first_row_of:
                errors.append(RowError(number, header_of[spec.by_name[spec.key[0]].attr],
                                       _l("the same record as row %(row)s", row=first_row_of[key])))
            else:
                first_row_of[key] = number
        for attr, taken in unique_seen.items():
            value = row.get(attr)
            if value is not None:
                if value in taken and taken[value] != number:
                    errors.append(RowError(number, header_of[attr], _l("the same value as row %(row)s",
                                                                         row=taken[value])))
                taken.setdefault(value, number)
        parsed.append((number, row, errors))

    existing = _load_existing(session, spec, set(first_row_of))
    owners = {attr: _unique_owners(session, spec, attr, set(taken)) for attr, taken in unique_seen.items()}
    missing_for_create = [f for f in spec.fields if f.required and f.name not in mapped]

    # Pass 2: compare with the records; row rules; plan the writes.
    for number, row, errors in parsed:
        old = existing.get(_key(spec, row))
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
        elif old is None:
            preview.new += 1
            preview.creates.append({f.attr: row[f.attr] if row.get(f.attr) is not None else f.default
                                    for f in spec.fields})
        else:
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
                fields=[FieldChange(header_of.get(a) or str(_field_by_attr(spec, a).label), _display(_field_by_attr(spec, a), o, resolvers),
                                    _display(_field_by_attr(spec, a), n, resolvers)) for a, (o, n) in changed.items()]))
    return preview


def _field_by_attr(spec: Spec, attr: str) -> Field:
    return next(f for f in spec.fields if f.attr == attr)


# Apply ----------------------------------------------------------------------------------------------

class ConcurrentChange(RuntimeError):
    pass


def apply(session, preview: Preview, filename: str = "") -> ImportResult:
    """Write what a clean dry run planned, all of it, in the session's transaction (the caller commits).

    The plan may come from an earlier request (the clerk confirmed what they saw): an update applies only
    if the record still has the version the dry run read, and the database's constraints refuse a
    duplicate or a reference deleted meanwhile — either way the caller rolls everything back.
    """
    if not preview.ok:
        raise ImportRefused(preview)
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
    session.expire_all()
    return ImportResult(batch_id=audit.batch_id, created=len(created), updated=len(preview.updates),
                        unchanged=preview.unchanged)


def import_file(session, entity: str, data: bytes, filename: str = "",
                columns: Iterable[tuple[str, Iterable[str]]] = ()) -> ImportResult:
    """Dry run and, if clean, apply in one go (raises ImportRefused with the preview otherwise)."""
    return apply(session, dry_run(session, entity, data, filename, columns), filename)


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

