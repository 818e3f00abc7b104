"""Lists that stay fast on a million rows: search by index, counts that don't scan, filter values
searched as you type.

- An exact identifier (inventory number, plate, VIN, ИНН, card number…) goes to its unique index; any other
  search is «contains», case- and ё/е-insensitive, over ``khz_fold(column)`` (trigram GIN indexes on
  PostgreSQL, models/search.py). The sort of a fragment search is kept from walking the sort column's index
  row by row past a million non-matches: the matches are found by the trigram index, then sorted.
- The count beside the list's title: unfiltered, the planner's estimate («≈ 1 000 000»); filtered, exact up
  to a cap, then «более 10 000» (a fragment search: «более 1 000»). Paging through the rows (an export, a batch)
  counts nothing.
- Related rows (category, responsible person, room…) are read for the page's rows only, one query each.
- Foreign-key filters over big tables (employees, rooms, suppliers, contracts) ship no options: the filter
  box asks ``filter-lookup`` as the user types.
"""
from flask import abort, g, jsonify, request
from flask_admin import expose
from flask_babel import format_number, gettext
from sqlalchemy import String, Unicode, func, literal, select, text
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.expression import or_

from models import db
from models.search import contains

COUNT_CAP = 10_000
# A fragment search counts to a lower cap: its matches are spread over the table, so counting each one reads a page
# of the table (10 000 pages ≈ 0.5 s at a million rows); a thousand says as much to the clerk.
SEARCH_COUNT_CAP = 1_000
LOOKUP_PAGE = 10  # select2 (form.js) asks for more when a page is full at 10


class ListCount(int):
    """The number of rows a list shows in its title: exact, estimated (≈) or capped («more than»)."""

    def __new__(cls, value: int, kind: str = "exact", cap: int | None = None):
        count = super().__new__(cls, value)
        count.kind, count.cap = kind, cap
        return count

    def __str__(self):
        if self.kind == "estimate":
            return f"≈\u00a0{format_number(int(self))}"
        if self.kind == "capped":
            return gettext("more than %(count)s", count=format_number(self.cap or COUNT_CAP))
        return format_number(int(self))


def estimated_rows(session, table_name: str) -> int | None:
    """PostgreSQL's own estimate of a table's rows (pg_class.reltuples); None on SQLite or before ANALYZE."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    value = session.scalar(text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:name)"),
                           {"name": table_name})
    return int(value) if value is not None and value >= 0 else None


def capped_count(count_query, cap: int | None = None, key=None) -> ListCount:
    """Exact up to ``cap``; beyond it the count stops reading at cap + 1 rows. ``key``: a column of the
    counted table, for a query that names its table only by its entity (a count query has select_from)."""
    cap = COUNT_CAP if cap is None else cap
    found = count_query.with_entities(literal(1) if key is None else key).limit(cap + 1).subquery()
    n = count_query.session.scalar(select(func.count()).select_from(found))
    return ListCount(n, "capped", cap) if n > cap else ListCount(n)


class FastListMixin:
    endpoint_operations = {"filter_lookup": "read"}
    # Identifier columns a whole search term is first looked up in, exactly (each has a unique or plain index).
    search_exact: tuple = ()
    # column name -> function making the stored form of a typed identifier (e.g. Latin look-alikes in a plate).
    search_exact_normalisers: dict = {}

    def _create_ajax_loader(self, name, options):
        from .pickers import ajax_loader  # pickers imports views' helpers; keep the import local

        return ajax_loader(self.model, self.session, name, options)

    # --- search ---------------------------------------------------------------------------------

    def _exact_condition(self, term: str):
        if not self.search_exact or not term or any(ch.isspace() for ch in term):
            return None
        for name in self.search_exact:
            column = getattr(self.model, name)
            candidates = {term, term.upper()}
            normalise = self.search_exact_normalisers.get(name)
            if normalise:
                candidates.add(normalise(term))
            condition = column.in_(sorted(candidates))
            if db.session.execute(select(literal(1)).where(condition).limit(1)).first():
                return condition
        return None

    def _apply_search(self, query, count_query, joins, count_joins, search):
        term = search.strip()
        exact = self._exact_condition(term)
        if exact is not None:
            query = query.filter(exact)
            if count_query is not None:
                count_query = count_query.filter(exact)
            return query, count_query, joins, count_joins
        g.khz_fragment_search = True
        for word in term.split():
            conditions, count_conditions = [], []
            for field, path in self._search_fields:
                query, joins, alias = self._apply_path_joins(query, joins, path, inner_join=False)
                conditions.append(contains(self._searchable(field, alias), word))
                if count_query is not None:
                    count_query, count_joins, count_alias = self._apply_path_joins(
                        count_query, count_joins, path, inner_join=False)
                    count_conditions.append(contains(self._searchable(field, count_alias), word))
            query = query.filter(or_(*conditions))
            if count_query is not None:
                count_query = count_query.filter(or_(*count_conditions))
        return query, count_query, joins, count_joins

    @staticmethod
    def _searchable(field, alias):
        column = field if alias is None else getattr(alias, field.key)
        return column if isinstance(column.type, String) else sql_cast(column, Unicode)

    def _order_by(self, query, joins, sort_joins, sort_field, sort_desc):
        # A fragment search with few matches sorts them after the trigram index found them; ordering by the bare
        # column would let PostgreSQL walk the column's own index instead, testing every row on the way (2.7 s at
        # 1M for a rare word). A word matching more than the count's cap is dense enough for that walk to meet a
        # page of matches at once, so then the plain order stands (sorting 25 000 matches costs 25 000 reads).
        if (sort_field is not None and g.get("khz_fragment_search") and not g.get("khz_dense_search")
                and self._on_postgres()):
            query, joins, alias = self._apply_path_joins(query, joins, sort_joins, inner_join=False)
            column = sort_field if alias is None else getattr(alias, sort_field.key)
            key = func.coalesce(column, column)
            return query.order_by(key.desc() if sort_desc else key), joins
        return super()._order_by(query, joins, sort_joins, sort_field, sort_desc)

    @staticmethod
    def _on_postgres() -> bool:
        return db.session.get_bind().dialect.name == "postgresql"

    # --- the list and its count -----------------------------------------------------------------

    def list_count(self, count_query, searched: bool, filtered: bool) -> ListCount:
        if not searched and not filtered and not request.args.get("batch"):
            estimate = estimated_rows(db.session, self.model.__tablename__)
            if estimate is not None and estimate > COUNT_CAP:
                return ListCount(estimate, "estimate")
        exact = searched and not g.get("khz_fragment_search")  # an identifier found by its index
        return capped_count(count_query, SEARCH_COUNT_CAP if searched and not exact else COUNT_CAP)

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        """Flask-Admin's get_list with our count: none when the rows are not a page to show."""
        g.pop("khz_fragment_search", None)
        g.pop("khz_dense_search", None)
        joins, count_joins = {}, {}
        query = self.get_query()
        counting = page_size != 0 and not self.simple_list_pager  # rows for a page, not for an export
        count_query = self.get_count_query() if counting else None
        searched = bool(self._search_supported and search)
        if searched:
            query, count_query, joins, count_joins = self._apply_search(query, count_query, joins, count_joins,
                                                                        search)
        filtered = bool(filters and self._filters)
        if filtered:
            query, count_query, joins, count_joins = self._apply_filters(query, count_query, joins, count_joins,
                                                                         filters)
        count = self.list_count(count_query, searched, filtered) if count_query is not None else None
        g.khz_dense_search = count is not None and count.kind == "capped"
        # Related rows come in one query per relation for the page's rows (selectin), not joined to every row the
        # database walks past: a join would run for the 250 000 rows an OFFSET skips on page 5000.
        for j in self._auto_joins:
            query = query.options(selectinload(j))
        query, joins = self._apply_sorting(query, joins, sort_column, sort_desc)
        query = self._apply_pagination(query, page, page_size)
        if execute:
            query = query.all()
        return count, query

    # --- filters whose values are searched as you type ------------------------------------------

    def _get_filter_groups(self):
        groups = super()._get_filter_groups()
        active = {}
        if request:
            for idx, _name, value in self._get_list_extra_args().filters or ():
                active.setdefault(idx, []).append(value)
        for items in (groups or {}).values():
            for item in items:
                flt = self._filters[item["index"]]
                if getattr(flt, "lookup_model", None) is not None:
                    item["options"] = None
                    item["type"] = "khz-lookup"
                    item["url"] = self.get_url(".filter_lookup", flt=item["index"])
                    item["labels"] = {value: flt.label_of(value) for value in active.get(item["index"], ())}
        return groups

    @expose("/filter-lookup/")
    def filter_lookup(self):
        """[[id, label], …] of a search-as-you-type filter's records whose text contains ``query``."""
        try:
            flt = self._filters[int(request.args.get("flt", ""))]
        except (ValueError, IndexError, TypeError):
            abort(404)
        if getattr(flt, "lookup_model", None) is None:
            abort(404)
        try:
            offset = max(int(request.args.get("offset", 0)), 0)
        except ValueError:
            offset = 0
        return jsonify(flt.lookup(request.args.get("query", ""), offset, LOOKUP_PAGE))
