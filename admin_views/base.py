"""The secured base view every model view derives from.

It holds what all lists share: who may read and write, Russian formats, exact money fields,
the rows a batch operation acts on (ticked or found), and refusing deletes that would orphan.
"""
import json
import math
import re
from datetime import date, datetime
from decimal import Decimal

from flask import Response, abort, current_app, flash, g, make_response, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext as admin_lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import FilterConverter
from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.model import typefmt
from flask_admin.model.filters import convert
from flask_admin.model.form import converts
from flask_babel import gettext
from sqlalchemy import BigInteger, Integer, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from models import ChangeLogEntry, LabeledEnum, db
from models.kinds import column_kind
from models.labels import FIELD_LABELS
from models.registry import entity_labels, label
from models.rules import column_checks
from services.display import display, display_date, display_datetime, display_money
from services.references import referrers

from .bulk_edit import BulkEditMixin
from .export import ExportMixin
from .fastlist import FastListMixin
from . import pickers
from .fields import (MAX_YEAR, MIN_YEAR, Checked, CleanForm, MoneyField, NumberField, PickerField,
                     RecordSelectField, RussianDateField, WholeNumberField)
from .errors import database_refusal
from .history import HistoryMixin
from .ids import parse_id
from .locking import OptimisticLockMixin
from .checks import check_declarations
from .rulesets import RuleSetMixin
from .selection import Selection
from .permissions import EDITORS, EVERYONE, PermissionMixin, current_role  # noqa: F401  (re-exported)
from .tools import ListTool, ListTools  # noqa: F401  (ListTool is imported from here by views)


MAX_FILTER_INT = 2**63 - 1  # BIGINT: anything past it is an overflow on SQLite and PostgreSQL
MAX_FILTER_NUMBER = 10**13  # NUMERIC(15, 2), the widest number column (money)


class RoleAccess:
    """Read for ``read_roles``, write for ``write_roles``; anonymous visitors go to the login page."""

    read_roles = EVERYONE
    write_roles = EDITORS

    def is_accessible(self):
        return current_role() in self.read_roles

    def may_write(self) -> bool:
        return current_role() in self.write_roles

    def inaccessible_callback(self, name, **kwargs):
        if current_role() is None:
            return redirect(url_for("login.index", next=request.full_path))
        abort(403)


def enum_value(value):
    return value.value if isinstance(value, LabeledEnum) else value


FORMATTERS = {LabeledEnum: lambda view, value, name: display(value),
              datetime: lambda view, value, name: display_datetime(value),
              date: lambda view, value, name: display_date(value),
              Decimal: lambda view, value, name: display_money(value)}
FORMATTERS.update(typefmt.BASE_FORMATTERS)


class ModelForm(CleanForm):
    """Flask-WTF's form (CSRF token, the panel's text rules) that, like Flask-Admin's own BaseForm, remembers the record it edits:
    Flask-Admin's Unique validator needs ``_obj`` or it refuses every edit of a unique field."""

    def __init__(self, *args, obj=None, **kwargs):
        self._obj = obj
        super().__init__(*args, obj=obj, **kwargs)


class ModelConverter(AdminModelConverter):
    """Flask-Admin's converter with the panel's fields: numbers that fit their column, ASCII whole
    numbers, dd.mm.yyyy dates, pickers that refuse unknown records."""

    # A field parses (finite, fits the column's type); the column's declared range is the rule set's to
    # judge (models/rules.py), so a form says what the import and the bulk edit say.
    @converts("Money")
    def conv_money(self, field_args, **extra):
        return MoneyField(**field_args)

    @converts("Numeric")  # same name: replaces Flask-Admin's DecimalField (which takes NaN and 1e309)
    def handle_decimal_types(self, column, field_args, **extra):
        # Areas, norms: typed with a decimal comma like money, to the column's scale.
        field_args.pop("places", None)
        return NumberField(digits=column.type.precision or 15, places=column.type.scale or 0, **field_args)

    @converts("Integer")  # same name: replaces Flask-Admin's IntegerField
    def handle_integer_types(self, column, field_args, **extra):
        return WholeNumberField(**field_args)

    def _model_select_field(self, prop, multiple, remote_model, **kwargs):
        if multiple:
            return super()._model_select_field(prop, multiple, remote_model, **kwargs)
        loader = getattr(self.view, "_form_ajax_refs", {}).get(prop.key)
        if loader:
            return PickerField(loader, **kwargs)
        kwargs.setdefault("query_factory", lambda: db.session.query(remote_model))
        return RecordSelectField(**kwargs)

    @converts("Date")
    def convert_date(self, field_args, **extra):  # same name: replaces Flask-Admin's ISO date field
        return RussianDateField(**field_args)


class FiltersConverter(FilterConverter):
    @convert("money")
    def conv_money(self, column, name, **kwargs):
        return [f(column, name, **kwargs) for f in self.float_filters]


MAX_PAGE = 1_000_000


def _out_of_column_range(flt, value: str) -> bool:
    """An INTEGER column compared with a number past its range: an error on PostgreSQL."""
    column = getattr(flt, "column", None)
    if not isinstance(getattr(column, "type", None), Integer) or isinstance(column.type, BigInteger):
        return False
    try:
        cleaned = flt.clean(value)
    except Exception:  # noqa: BLE001 - filter_value_ok has refused it already
        return True
    items = cleaned if isinstance(cleaned, (list, tuple)) else [cleaned]
    return any(isinstance(i, int) and not isinstance(i, bool) and abs(i) > 2**31 - 1 for i in items)


def bounded_int(text, low: int, high: int) -> int | None:
    """An ASCII whole number within [low, high] from a query argument, or None."""
    text = (text or "").strip()
    if not re.fullmatch(r"-?[0-9]{1,12}", text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def filter_value_ok(flt, value: str) -> bool:
    """Can ``flt`` use ``value``? Its own clean() must accept it, and numbers must fit the database."""
    if len(value) > 1000:
        return False
    try:
        if not flt.validate(value):
            return False
        cleaned = flt.clean(value)
    except Exception:  # noqa: BLE001 - enum filters raise KeyError, others TypeError/ValueError/OverflowError
        return False
    for item in cleaned if isinstance(cleaned, (list, tuple)) else [cleaned]:
        if isinstance(item, bool):
            continue
        if isinstance(item, int) and abs(item) > MAX_FILTER_INT:
            return False
        if isinstance(item, (float, Decimal)) and not (math.isfinite(item) and abs(item) < MAX_FILTER_NUMBER):
            return False
        if isinstance(item, (date, datetime)) and not (MIN_YEAR <= item.year <= MAX_YEAR):
            return False
    return True


class SecuredModelView(BulkEditMixin, ExportMixin, RoleAccess, PermissionMixin, OptimisticLockMixin, HistoryMixin,
                       ListTools, RuleSetMixin, FastListMixin, ModelView):
    """Flask-Admin's SQLAlchemy view, secured and localised. Subclasses declare columns only."""

    form_base_class = ModelForm  # CSRF token on every form, delete and action
    model_form_converter = ModelConverter
    filter_converter = FiltersConverter()
    column_type_formatters = FORMATTERS
    column_type_formatters_detail = FORMATTERS
    can_view_details = True
    can_set_page_size = True
    page_size = 50
    details_modal = False
    edit_modal = False
    create_modal = False
    list_template = "admin/khozchast_list.html"
    details_template = "admin/khozchast_details.html"

    def __init__(self, model, session=None, **kwargs):
        check_declarations(self, model)  # before Flask-Admin reads them: a clear message, at start-up
        one, many = entity_labels(model.__tablename__)
        kwargs.setdefault("name", many)
        declared = {attr.key: label(model, attr.key) for attr in model.__mapper__.attrs}
        self.column_labels = {**FIELD_LABELS, **declared, **(self.column_labels or {})}
        self._enum_choices(model)
        self._declared_checks(model)
        self._declared_pickers(model)
        super().__init__(model, session or db, **kwargs)

    def _declared_checks(self, model):
        """Each column's declared check validates its form field (and normalises what was typed)."""
        form_args = dict(self.form_args or {})
        for attr, check in column_checks(model).items():
            args = dict(form_args.get(attr, {}))
            args["validators"] = [*args.get("validators", ()), Checked(check)]
            form_args[attr] = args
        self.form_args = form_args

    def _declared_pickers(self, model):
        """Every many-to-one field of the form is a search-as-you-type picker over its target's search fields."""
        refs = dict(self.form_ajax_refs or {})
        for rel in model.__mapper__.relationships:
            target = rel.mapper.class_
            if (rel.direction.name == "MANYTOONE" and rel.key in (self.form_columns or ()) and rel.key not in refs
                    and getattr(target, "search_fields", None)):
                refs[rel.key] = pickers.picker(target)
        self.form_ajax_refs = refs

    def _enum_choices(self, model):
        """Show and offer every enum column by its translated label."""
        choices = dict(self.column_choices or {})
        form_args = dict(self.form_args or {})
        for column in model.__table__.columns:
            enum_class = getattr(column.type, "enum_class", None)
            if enum_class and issubclass(enum_class, LabeledEnum):
                choices.setdefault(column.key, enum_class.choices())
                # A member prints as its label; the select compares values.
                form_args[column.key] = {"coerce": enum_value, **form_args.get(column.key, {})}
        self.column_choices = choices
        self.form_args = form_args
        self.form_choices = {**choices, **(self.form_choices or {})}

    # Permissions: read for every role in read_roles, change only for write_roles.
    @property
    def can_create(self):
        return self.may_write() and self.allow_create

    @property
    def can_edit(self):
        return self.may_write() and self.allow_edit

    @property
    def can_delete(self):
        return self.may_write() and self.allow_delete

    allow_create = allow_edit = allow_delete = True

    def _get_list_filter_args(self):
        """Flask-Admin's, with every value checked in one place: a value a filter can't use (an unknown
        enum member, a number past the column's range, NaN) is dropped with the panel's message."""
        if not self._filters:
            return None
        filters = []
        for arg in request.args:
            if not arg.startswith("flt") or "_" not in arg:
                continue
            pos, key = arg[3:].split("_", 1)
            if key not in self._filter_args:
                continue
            idx, flt = self._filter_args[key]
            value = request.args[arg]
            if filter_value_ok(flt, value) and not (value.strip() and _out_of_column_range(flt, value)):
                filters.append((pos, (idx, str(flt.name), value)))
            else:
                flash(self.get_invalid_value_msg(value[:100], flt), "error")
        return [v[1] for v in sorted(filters, key=lambda n: n[0])]

    def _get_list_extra_args(self):
        # Page and sort numbers as Flask-Admin reads them (type=int) can be negative or past any range.
        args = super()._get_list_extra_args()
        args.page = bounded_int(request.args.get("page"), 0, MAX_PAGE) or 0
        args.sort = bounded_int(request.args.get("sort"), 0, 10_000)
        args.sort_desc = bool(bounded_int(request.args.get("desc"), 0, 1))
        if args.search is not None and len(args.search) > 500:
            args.search = args.search[:500]
        return args

    @expose("/ajax/lookup/")
    def ajax_lookup(self):
        # Flask-Admin's, with the picker's paging bounded (a negative OFFSET is an error on PostgreSQL).
        loader = self._form_ajax_refs.get(request.args.get("name", ""))
        if not loader:
            abort(404)
        offset = bounded_int(request.args.get("offset"), 0, 100_000) or 0
        limit = bounded_int(request.args.get("limit"), 1, 100) or 10
        query = (request.args.get("query") or "")[:200]
        data = [loader.format(m) for m in loader.get_list(query, offset, limit)]
        return Response(json.dumps(data), mimetype="application/json")

    @expose("/ajax/update/", methods=("POST",))
    def ajax_update(self):
        # Flask-Admin answers a refused inline value (or a missing record) with 500; it is the user's input: 400.
        response = make_response(super().ajax_update())
        if response.status_code == 500:
            response.status_code = 400
        return response

    def _get_filter_groups(self):
        # Drop-down options come from the database: read them per request, not once at start-up.
        groups = super()._get_filter_groups()
        for items in (groups or {}).values():
            for item in items:
                flt = self._filters[item["index"]]
                if callable(flt.options):
                    item["options"] = [(k, str(v)) for k, v in flt.options()]
        return groups

    def details_extras(self, model) -> list:
        """HTML blocks shown under a record's details (mixins extend with ``super().details_extras(model)``)."""
        return []

    # The columns of the list as a table: what exports write and imports read back.
    column_export_list = None  # a view may name more columns to export than it lists

    def table_columns(self) -> list[tuple[str, str, str]]:
        """(attribute, header in the user's language, kind) for every exported column."""
        names = self.column_export_list or [name for name, _ in self.get_list_columns()]
        mapper = self.model.__mapper__
        result = []
        for name in names:
            kind = "text"
            if name in mapper.columns:
                kind = column_kind(mapper.columns[name])
            elif name in mapper.relationships:
                kind = "text"
            elif isinstance(getattr(self.model, name, None), property) and name.endswith("value"):
                kind = "money"
            result.append((name, str(self.get_column_name(name)), kind))
        return result

    # The rows a batch operation acts on.
    def found_query(self):
        """Every row the list shows now: its search, filters and sort, without paging (and without the
        count the list page would run: nobody sees it)."""
        args = self._get_list_extra_args()
        sort = self._get_column_by_idx(args.sort)
        g.list_without_count = True
        try:
            _count, query = self.get_list(
                0, sort[0] if sort else None, args.sort_desc, args.search, args.filters,
                execute=False, page_size=0,
            )
        finally:
            g.list_without_count = False
        return query

    def selection(self, ids=None) -> Selection:
        """The rows a batch tool acts on: the ticked ones, or everything the list found (``found=1``)."""
        return Selection.from_request(self, ids)

    def batch_ids_query(self, batch_id):
        """Ids of the records of this view's table that one change-log batch touched."""
        return select(ChangeLogEntry.entity_id).where(
            ChangeLogEntry.batch_id == batch_id, ChangeLogEntry.entity == self.model.__tablename__
        )

    # ``?batch=<id>`` narrows the list to what one operation changed (its result links here).
    def _narrow_to_batch(self, query):
        batch_id = request.args.get("batch") if request else None
        if batch_id:
            query = query.filter(getattr(self.model, self.scaffold_pk()).in_(self.batch_ids_query(batch_id)))
        return query

    def get_query(self):
        return self._narrow_to_batch(super().get_query())

    def get_count_query(self):
        if g.get("list_without_count"):
            return None
        return self._narrow_to_batch(super().get_count_query())

    # Deletes never orphan: say what still refers to the record.
    def delete_model(self, model):
        blocking = referrers(db.session, model)  # self.session is the Flask-SQLAlchemy handle, not a session
        if blocking:
            what = ", ".join(f"{entity_labels(t)[1]}: {n}" for t, n in blocking)
            flash(gettext("Cannot delete «%(record)s»: it is still referred to by %(what)s.",
                          record=str(model), what=what), "error")
            return False
        return super().delete_model(model)

    @action("delete", admin_lazy_gettext("Delete"),
            admin_lazy_gettext("Are you sure you want to delete selected records?"))
    def action_delete(self, ids):
        # Ticked ids arrive as text; PostgreSQL (psycopg 3 binds them as VARCHAR) won't compare them with integers.
        return super().action_delete(tuple(self.selection(ids).ticked))

    def get_one(self, id):
        # ``?id=`` and ``list_form_pk`` of every details, edit, delete and inline edit: not an id, no record.
        pk = parse_id(id)
        return None if pk is None else db.session.get(self.model, pk)

    def handle_view_exception(self, exc):
        # The database's own words (SQL, parameters, constraint names) are for the log, never for the page.
        if isinstance(exc, IntegrityError):
            current_app.logger.warning("refused by the database: %s", exc.orig)
            flash(database_refusal(exc, self.model), "error")
            return True
        if super().handle_view_exception(exc):  # a conflict (locking), a refusal (rules), a ValidationError
            return True
        if isinstance(exc, SQLAlchemyError):
            current_app.logger.error("database error", exc_info=exc)
            flash(gettext("The database refused the change; nothing was saved."), "error")
            return True
        current_app.logger.error("error while saving", exc_info=exc)
        flash(gettext("The change could not be saved; nothing was saved. The error has been logged."), "error")
        return True

    def entity_label(self):
        return entity_labels(self.model.__tablename__)[0]

    def filter_args(self, *conditions) -> dict[str, str]:
        """Query-string arguments that apply list filters, each given as
        (column key, filter class, value); used to link to a filtered list."""
        args = {}
        for pos, (key, flt_class, value) in enumerate(conditions):
            for idx, flt in enumerate(self.get_filters() or ()):
                if type(flt) is flt_class and getattr(getattr(flt, "column", None), "key", None) == key:
                    args[f"flt{pos}_{self.get_filter_arg(idx, flt)}"] = value
                    break
            else:
                raise LookupError(f"{type(self).__name__} has no {flt_class.__name__} on {key}")
        return args
