"""Hostile and broken input on every route: no 500, no database error text, ever.

The walk takes its routes from the registered views (like tests/test_permissions.py), so a view or
endpoint added later is fuzzed without anyone editing this file. For every role it sends each view's
list (paging, sorting, search, every filter), details, create and edit forms (a real record's values
with a few fields replaced by generated bad values), inline edit, every batch action, every other
endpoint the view exposes, and an import of a generated file. Values come from hypothesis: a list of
known troublemakers (NUL, superscript and Arabic-Indic digits, NaN, 1e309, year 9999…) and generated
text, numbers and dates. The walk stops drawing new examples after its time budget.
"""
import io
import os
import random
import re
import time
import traceback

import pytest
from flask import url_for
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from sqlalchemy import func, select

from models import Role, db
from models.changelog import begin_batch
from services.accounts import create_user
from tests import factories as f

MISSING = 987654  # an id no record has
BUDGET_SECONDS = float(os.environ.get("FUZZ_SECONDS", "60"))
STATUSES: dict = {}
PUBLIC_ENDPOINTS = {"login", "logout"}

NASTY = [
    "", " ", "   ", "\t", "\x00", "a\x00b", "\x01\x1b[31m", "²", "١٢٣", "１２", "-1", "0", "-0", "1e30", "-1e30",
    "1e309", "-1e309", "nan", "NaN", "inf", "-Infinity", "99999999999999999999", "9" * 40, "2147483648",
    "-2147483649", "1" * 300, "'; DROP TABLE asset;--", "<script>alert(1)</script>", "%s%(x)s", "{0}",
    "01.01.0001", "31.12.9999", "0001-01-01", "9999-12-31", "29.02.2023", "00.00.0000", "1,5", "1 000,50",
    "12,345.6", "true", "null", "../../etc/passwd", "\u202eevil", "x" * 3000, "0x1A", "1_000", "٣", "𝟗",
    "__None", "id", ",", "1,,2", "1,²", "-5,7", "1.5",
]

DB_TEXT = re.compile(r"sqlalche\.me|psycopg|sqlite3\.|IntegrityError|OperationalError|DataError|ProgrammingError|"
                     r"Traceback \(most recent call last\)|\bINSERT INTO\b|\bUPDATE \"?\w+\"? SET\b|"
                     r"\bSELECT\b[^<]{0,200}\bFROM\b|\bDELETE FROM\b|violates (?:check|foreign key|unique)|"
                     r"UNIQUE constraint failed|CHECK constraint failed|NOT NULL constraint", re.I)

values = st.one_of(
    st.sampled_from(NASTY),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(lambda d: d.strftime("%d.%m.") + f"{d.year:04d}"),
)


def admin_views(app):
    (admin,) = app.extensions["admin"]
    return [admin.index_view] + [v for v in admin._views if v is not admin.index_view]


@pytest.fixture
def records(app, users):
    with app.app_context():
        s = db.session
        for _ in range(2):
            f.asset(s, room=f.room(s), responsible=f.employee(s), department=f.department(s), supplier=f.supplier(s))
            f.vehicle(s)
            f.fuel_card(s)
            f.contract(s)
        # The newest user is the one the walk edits (a change of role or password ends that user's sessions,
        # not those of the walk's own clients).
        begin_batch(s, username="fuzz")
        create_user(s, "fuzz-target", "fuzz-target-password", Role.viewer)
        db.session.commit()
    return True


class Walk:
    """One walk: generated values are drawn up front (a pool) and choices come from a seeded random,
    so stopping on the time budget never changes what hypothesis generated."""

    def __init__(self, app, pool, rnd):
        self.app, self.pool, self.rnd = app, pool, rnd
        self.count = 0
        self.statuses: dict = {}
        self.problems: list[str] = []

    def value(self):
        return self.rnd.choice(self.pool)

    def some(self, items, low=0, high=3):
        items = list(items)
        return self.rnd.sample(items, min(len(items), self.rnd.randint(low, high))) if items else []

    def send(self, client, method, url, label, **kwargs):
        self.count += 1
        try:
            response = client.open(url, method=method, **kwargs)
        except Exception as exc:  # TESTING propagates what would be a 500
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            self.problems.append(f"{label}: {type(exc).__name__}: {str(exc)[:200]} at {frame.filename}:{frame.lineno}"
                                 f" ({method} {url} {kwargs.get('data') or kwargs.get('query_string') or ''!r:.300})")
            with self.app.app_context():
                db.session.rollback()
            return None
        self.statuses[(label.split(" ", 2)[-1], response.status_code)] = self.statuses.get(
            (label.split(" ", 2)[-1], response.status_code), 0) + 1
        if response.status_code >= 500:
            self.problems.append(f"{label}: HTTP {response.status_code} ({method} {url})")
        if not response.direct_passthrough and response.mimetype in ("text/html", "application/json", "text/plain"):
            found = DB_TEXT.search(response.get_data(as_text=True))
            if found:
                self.problems.append(f"{label}: database text «{found.group(0)}» ({method} {url} "
                                     f"{kwargs.get('data') or kwargs.get('query_string') or ''!r:.300})")
        return response


def record_id(view):
    model = view.model
    return db.session.scalar(select(func.max(getattr(model, view._primary_key))))


def form_values(view, obj) -> dict[str, str]:
    """The edit form's fields as a browser would send them for ``obj``."""
    form = view.edit_form(obj=obj) if obj is not None else view.create_form()
    data = {}
    for field in form:
        if field.type in ("CSRFTokenField", "VersionField") or field.name == "csrf_token":
            continue
        if field.type == "BooleanField":
            if field.data:
                data[field.name] = "y"
            continue
        value = field.data
        if value is None:
            data[field.name] = ""
        elif hasattr(value, "id"):
            data[field.name] = str(value.id)
        elif hasattr(value, "value"):  # an enum member
            data[field.name] = str(value.value)
        elif isinstance(value, str) and field.type != "StringField":  # a select's chosen value
            data[field.name] = value
        elif isinstance(value, list):
            data[field.name] = [str(getattr(v, "id", v)) for v in value]
        else:
            try:
                data[field.name] = field._value() or ""
            except Exception:
                data[field.name] = ""
    return data


def mutate(walk, data: dict, names: list[str]) -> dict:
    data = dict(data)
    for name in walk.some(names, 1, 3):
        data[name] = walk.value()
    return data


def list_args(walk, view) -> dict[str, str]:
    args = {}
    for key in walk.some(["page", "page_size", "sort", "desc", "search", "batch"]):
        args[key] = walk.value()
    filters = list(enumerate(view._filters or ()))
    if filters:
        chosen = walk.some(filters, 1, 3)
        for pos, (idx, flt) in enumerate(chosen):
            args[f"flt{pos}_{view.get_filter_arg(idx, flt)}"] = walk.value()
    return args


def walk_view(walk, client, role, view):
    endpoints = {name: set(methods or ("GET",)) for _url, name, methods in view._urls}
    arguments = {name: re.findall(r"<(?:(\w+):)?(\w+)>", rule) for rule, name, _methods in view._urls}
    label = f"{role.value} {view.endpoint}"
    with walk.app.test_request_context():
        url = {}
        for name in endpoints:
            # Path arguments: the export's type, and a missing record for ids (uploads follow their own redirect).
            values = {arg: ("xlsx" if arg == "export_type" else MISSING if converter == "int" else walk.value() or "x")
                      for converter, arg in arguments[name]}
            try:
                url[name] = url_for(f"{view.endpoint}.{name}", **values)
            except Exception:  # noqa: BLE001 - a generated text the route can't take: the page isn't reachable so
                url[name] = url_for(f"{view.endpoint}.{name}", **{k: "x" for k in values})
        is_model = hasattr(view, "model")
        rid = record_id(view) if is_model else None
        obj = db.session.get(view.model, rid) if rid else None
        form_data, names = {}, []
        if is_model and (view.allow_create or view.allow_edit) and role in view.write_roles:
            try:
                form_data = form_values(view, obj)
            except Exception as exc:  # a form that can't be built is a 500 too
                walk.problems.append(f"{label}: building the form: {exc!r}")
            names = list(form_data)
        editable = list(view.column_editable_list or ()) if is_model else []
        actions = [name for name, _ in getattr(view, "_actions", ())]
        bulk_fields = list(getattr(view, "bulk_edit_fields", ()) or ())
        db.session.remove()
    for name, methods in endpoints.items():
        target = url[name]
        if name == "index_view":
            for _ in range(3):
                walk.send(client, "GET", target, f"{label} list", query_string=list_args(walk, view) if is_model
                          else {"page": walk.value()})
        elif name == "details_view":
            walk.send(client, "GET", target, f"{label} details", query_string={"id": walk.value()})
            if rid:
                walk.send(client, "GET", target, f"{label} details", query_string={"id": rid})
        elif name == "create_view":
            walk.send(client, "GET", target, f"{label} create form")
            fresh = dict(form_data)  # a copy of the record with its natural key made new, so the create can succeed
            for key in getattr(view.model, "natural_key", ()) if is_model else ():
                if isinstance(fresh.get(key), str) and fresh[key]:
                    fresh[key] = f"{fresh[key][:20]}-{walk.rnd.randint(1000, 9999)}"
            walk.send(client, "POST", target, f"{label} create", data=mutate(walk, fresh, names))
            walk.send(client, "POST", target, f"{label} create (new key)", data=fresh)
            walk.send(client, "POST", target, f"{label} create (copy)", data=form_data)  # unique keys clash
        elif name == "edit_view":
            walk.send(client, "GET", target, f"{label} edit form", query_string={"id": walk.value()})
            if rid:
                walk.send(client, "POST", target, f"{label} edit", query_string={"id": rid},
                          data=mutate(walk, form_data, names))
        elif name == "delete_view":
            walk.send(client, "POST", target, f"{label} delete", data={"id": walk.value()})
        elif name == "ajax_update":
            for column in editable:
                walk.send(client, "POST", target, f"{label} inline {column}",
                          data={"list_form_pk": rid or walk.value(), column: walk.value()})
            walk.send(client, "POST", target, f"{label} inline pk", data={"list_form_pk": walk.value(), "name": "x"})
        elif name == "ajax_lookup":
            refs = list(getattr(view, "_form_ajax_refs", {}) or {}) or ["x"]
            walk.send(client, "GET", target, f"{label} lookup", query_string={
                "name": walk.rnd.choice(refs + [walk.value()]), "query": walk.value(),
                "offset": walk.value(), "limit": walk.value()})
        elif name == "action_view":
            for action in actions:
                ids = [walk.value() for _ in range(walk.rnd.randint(0, 3))] + ([str(rid)] if rid else [])
                walk.send(client, "POST", target, f"{label} action {action}", data={"action": action, "rowid": ids})
            walk.send(client, "POST", target, f"{label} action ?", data={"action": walk.value(), "rowid": "1"})
        elif name == "import_upload":
            uploaded = walk.send(client, "POST", target, f"{label} import",
                                 data={"file": (io.BytesIO(import_file(walk, view)), "data.csv")},
                                 content_type="multipart/form-data")
            job = uploaded.headers.get("Location", "") if uploaded is not None else ""
            if re.search(r"/import/\d+/$", job):  # the upload's own job: preview, a mapping, apply
                walk.send(client, "GET", job, f"{label} import preview")
                mapping = {f"map-{n}": walk.value() for n in range(walk.rnd.randint(0, 3))}
                mapping.update({"sheet": walk.value()} if walk.rnd.random() < 0.5 else {})
                walk.send(client, "POST", job + "choose/", f"{label} import choose", data=mapping)
                walk.send(client, "POST", job + "apply/", f"{label} import apply",
                          data={"accept_warnings": walk.rnd.choice(["", "1", walk.value()])})
        elif name == "bulk_edit_view":
            data = {"step": "preview", "ids": ",".join([walk.value(), str(rid or 1)])}
            for field in walk.some(bulk_fields):
                data[f"bulk_tick_{field}"] = "y"
                data[field] = walk.value()
                if walk.rnd.random() < 0.3:
                    data[f"bulk_clear_{field}"] = "y"
            walk.send(client, "GET", target, f"{label} bulk form", query_string=list_args(walk, view))
            walk.send(client, "POST", target, f"{label} bulk preview", data=data)
            walk.send(client, "POST", target, f"{label} bulk apply", data={"step": "apply", "token": walk.value(),
                                                                          "confirm_count": walk.value()})
        else:
            keys = ["id", "ids", "batch", "form", "found", "token", "step", "at", "department", "responsible",
                    "status", "supplier", "kind", "reason", "act_date", "chair", "members", "disposed_on",
                    "document", "create", "export_type", "page"]
            for method in sorted(methods):
                args = {k: walk.value() for k in walk.some(keys, 0, 5)}
                if rid and walk.rnd.random() < 0.5:
                    args["id"] = rid
                    args["ids"] = f"{rid},{walk.value()}"
                if method == "GET":
                    walk.send(client, "GET", target, f"{label} {name}", query_string=args)
                else:
                    walk.send(client, "POST", target, f"{label} {name}", data=args)


def import_file(walk, view) -> bytes:
    """A CSV with the view's export headers and rows of generated values, or plain garbage."""
    kind = walk.rnd.choice(["csv", "bytes", "zip"])
    if kind == "bytes":
        return walk.rnd.randbytes(walk.rnd.randint(0, 200))
    if kind == "zip":
        return b"PK\x03\x04" + walk.rnd.randbytes(walk.rnd.randint(0, 200))
    with walk.app.test_request_context():
        headers = [header for _name, header, _kind in view.table_columns()]
    rows = [";".join(walk.value().replace(";", ",").replace('"', "'").replace("\n", " ") for _ in headers)
            for _ in range(walk.rnd.randint(1, 3))]
    return ("\n".join([";".join(headers)] + rows)).encode("utf-8")


def test_no_500_and_no_database_text_anywhere(app, client_as, records):
    clients = {role: client_as(role) for role in Role}
    started = time.monotonic()
    totals = {"requests": 0, "walks": 0}
    per_role: dict[str, int] = {}
    problems: list[str] = []

    @settings(max_examples=200, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(pool=st.lists(values, min_size=50, max_size=50), seed=st.integers(0, 2**32))
    def walk_all(pool, seed):
        if time.monotonic() - started > BUDGET_SECONDS or len(problems) > 50:
            return
        walk = Walk(app, pool + NASTY, random.Random(seed))
        for view in admin_views(app):
            if view.endpoint in PUBLIC_ENDPOINTS:
                continue
            # Each view as a role drawn for it (one that may not read it gets its refusals walked): every
            # walk covers every view, and the walks within the budget spread over the roles.
            role = walk.rnd.choice(list(Role))
            before = walk.count
            walk_view(walk, clients[role], role, view)
            per_role[role.value] = per_role.get(role.value, 0) + walk.count - before
        totals["requests"] += walk.count
        totals["walks"] += 1
        for k, v in walk.statuses.items():
            STATUSES[k] = STATUSES.get(k, 0) + v
        problems.extend(walk.problems)

    walk_all()
    with app.app_context():
        dialect = db.engine.dialect.name
    print(f"\nfuzz: {totals['requests']} requests in {totals['walks']} walks, {time.monotonic() - started:.0f} s "
          f"on {dialect}; by role: {per_role}")
    if os.environ.get("FUZZ_STATS"):
        for k in sorted(STATUSES):
            print(k, STATUSES[k])
    assert totals["walks"] >= 1 and totals["requests"] > 200
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(dict.fromkeys(problems))
