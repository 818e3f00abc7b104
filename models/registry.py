"""The entity registry: what each model declares about itself, read in one place.

A model declares its facts next to its columns — checks and examples in ``mapped_column(info=...)`` — and a
few class attributes:

``verbose_name`` / ``verbose_name_plural``  how a person calls one record and the table;
``natural_key``      the attributes a clerk identifies a record by (import matching, look-ups);
``search_fields``    columns a picker and the list search look in;
``bulk_editable``    attributes bulk edit may set;  ``importable``  attributes an import reads;
``display_sql()``    the SQL twin of ``__str__``, for pickers, filters, exports and look-ups;
``rules`` / ``derive``  the rule set (see ``models.rules``).

Forms, pickers, filters, import specs, bulk edit and labels are derived from these; nothing else keeps a
per-entity list.
"""
from sqlalchemy import String, cast, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from .base import Base
from .labels import ENTITY_LABELS, FIELD_LABELS


class ru_date(FunctionElement):
    """A date as dd.mm.yyyy in SQL, on SQLite and PostgreSQL (display expressions show dates as people read them)."""

    type = String()
    inherit_cache = True


@compiles(ru_date, "sqlite")
def _ru_date_sqlite(element, compiler, **kw):
    return f"strftime('%d.%m.%Y', {compiler.process(element.clauses, **kw)})"


@compiles(ru_date)
def _ru_date_default(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'DD.MM.YYYY')"


def concat(*parts):
    """``a || b || …`` with every part as text."""
    result = None
    for part in parts:
        part = literal(part) if isinstance(part, str) else cast(part, String)
        result = part if result is None else result + part
    return result


def entities() -> list[type]:
    """Every model a clerk keeps as reference data (it declares a ``natural_key``)."""
    return [m.class_ for m in Base.registry.mappers if "natural_key" in vars(m.class_)]


def model_for_table(table: str):
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    return None


def entity_labels(table: str) -> tuple:
    """(one, many) for a table name; the table name itself where nothing is declared."""
    model = model_for_table(table)
    if model is not None and getattr(model, "verbose_name", None) is not None:
        return model.verbose_name, getattr(model, "verbose_name_plural", model.verbose_name)
    return ENTITY_LABELS.get(table, (table, table))


def all_entity_labels() -> list[tuple[str, object]]:
    """(table, label) of every model, for a filter on the record type."""
    return [(m.class_.__tablename__, m.class_.verbose_name) for m in Base.registry.mappers
            if getattr(m.class_, "verbose_name", None) is not None]


def column_info(model, attr: str) -> dict:
    prop = model.__mapper__.attrs.get(attr)
    if prop is None:
        return {}
    if hasattr(prop, "columns"):
        return prop.columns[0].info
    if hasattr(prop, "local_columns") and len(prop.local_columns) == 1:
        return next(iter(prop.local_columns)).info
    return {}


def label(model, attr: str):
    """A field's label: declared on its column, else the shared glossary, else its name."""
    declared = column_info(model, attr).get("label") if model is not None else None
    if declared is not None:
        return declared
    if attr in FIELD_LABELS:
        return FIELD_LABELS[attr]
    if attr.endswith("_id") and attr[:-3] in FIELD_LABELS:
        return FIELD_LABELS[attr[:-3]]
    return attr.replace("_", " ").capitalize()


def example(model, attr: str):
    return column_info(model, attr).get("example")


def display_sql(model):
    """The SQL expression a record is shown by (default: its first natural-key column)."""
    declared = getattr(model, "display_sql", None)
    if declared is not None:
        return declared()
    return getattr(model, getattr(model, "natural_key", ("id",))[0])


def search_columns(model) -> list:
    return [getattr(model, name) for name in getattr(model, "search_fields", ())]


def dates_in_order(new, first: str, last: str) -> list:
    """A rule shared by periods: ``first`` not later than ``last``."""
    from flask_babel import lazy_gettext as _l

    a, b = new.get(first), new.get(last)
    if a is not None and b is not None and a > b:
        return [(last, _l("cannot be earlier than «%(first)s»", first=label(None, first)))]
    return []
