"""Every registered entity × every write path: a change that breaks the model's rule set is refused with the
same message on the form, inline edit, bulk edit and import (where that path may set the field).

Driven by the registry: the views registered on the Admin, each model's declared ``bulk_editable`` and
``importable`` attributes, and the examples in ``tests/factories.INVALID``. A new entity adds its cases there.
"""
import html
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from admin_views import MODEL_VIEWS
from models import LabeledEnum, db
from models.rules import Refused, judge, values_of
from services import bulk_edit, importer
from tests import factories as f
from tests.import_support import exported_file


def _views(app):
    (admin,) = app.extensions["admin"]
    return {v.model: v for v in admin._views if getattr(v, "model", None) in f.FACTORIES}


VIEW_CLASSES = {model: view for view, model, _menu, _endpoint in MODEL_VIEWS}


def _field_name(model, attr):
    for rel in model.__mapper__.relationships:
        if [c.key for c in rel.local_columns] == [attr]:
            return rel.key
    return attr


def _applies(path, model, change) -> bool:
    """Whether a write path may set every field of the change (a path that can't is not a path for it)."""
    if path == "inline":
        editable = VIEW_CLASSES[model].column_editable_list or ()
        return all(_field_name(model, a) in editable for a in change)
    if path == "bulk":
        return set(change) <= set(getattr(model, "bulk_editable", ()))
    if path == "import":
        return set(change) <= set(getattr(model, "importable", ()))
    return True


def _cases(path):
    return [pytest.param((model, n), id=f"{model.__tablename__}-{n}")
            for model, cases in f.INVALID.items() for n, (_o, change, _a) in enumerate(cases)
            if _applies(path, model, change)]


def test_every_registered_entity_has_a_factory_and_rule_cases(app):
    from models.registry import entities

    registered = set(_views(app))
    assert set(entities()) <= set(f.FACTORIES), "add a factory for each entity to tests/factories.FACTORIES"
    assert registered == set(f.INVALID), "give each entity at least one rule case in tests/factories.INVALID"
    # Every path is exercised by some case: the form always; inline edit, bulk edit and import somewhere.
    assert all(_cases(path) for path in ("form", "inline", "bulk", "import"))


def _typed(value) -> str:
    if value is None:
        return ""
    if isinstance(value, LabeledEnum):
        return value.value
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return str(value)


def _form_data(view, record) -> dict:
    """What the record's edit form posts when the clerk changes nothing."""
    form = view.edit_form(record)
    data = {}
    for field in form:
        if field.type == "CSRFTokenField":
            continue
        if field.type == "BooleanField":
            if field.data:
                data[field.name] = "y"
        elif field.type in ("QuerySelectField", "AjaxSelectField") or hasattr(field.data, "__table__"):
            data[field.name] = str(field.data.id) if field.data is not None else ""  # a picker posts the id
        elif field.type == "VersionField":
            data[field.name] = str(record.version)
        else:
            data[field.name] = field._value() if hasattr(field, "_value") else (field.data or "")
    return data


@pytest.fixture
def case(app, request):
    """(view, record id, change, field, the message the rule set gives) for one INVALID case."""
    model, n = request.param
    overrides, change, attr = f.INVALID[model][n]
    with app.test_request_context():
        record = f.FACTORIES[model](db.session, **overrides)
        db.session.commit()
        change = {k: v(record) if callable(v) else v for k, v in change.items()}
        old = values_of(record)
        _new, problems = judge(model, old, {**old, **change})
        assert any(p[0] == attr for p in problems), f"the rule set accepts {change} on {model.__name__}"
        message = Refused([p for p in problems if p[0] == attr], model=model).messages()[0]
        db.session.remove()
    return _views(app)[model], record.id, change, attr, message


@pytest.mark.parametrize("case", _cases("form"), indirect=True)
def test_form_refuses_with_the_rule_message(app, clerk, case):
    view, record_id, change, _attr, message = case
    with app.test_request_context():
        record = db.session.get(view.model, record_id)
        data = _form_data(view, record)
        before = values_of(record)
        db.session.remove()
    for attr, value in change.items():
        data[_field_name(view.model, attr)] = _typed(value)
    page = clerk.post(f"/admin/{view.endpoint}/edit/?id={record_id}", data=data, follow_redirects=True)
    assert message in html.unescape(page.get_data(as_text=True))
    with app.app_context():
        assert values_of(db.session.get(view.model, record_id)) == before  # nothing was saved


@pytest.mark.parametrize("case", _cases("inline"), indirect=True)
def test_inline_edit_refuses_with_the_rule_message(app, clerk, case):
    view, record_id, change, attr, message = case
    editable = list(change)
    with app.app_context():
        version = db.session.get(view.model, record_id).version
    data = {"list_form_pk": record_id, "version": version}
    data.update({_field_name(view.model, a): _typed(change[a]) for a in editable})
    response = clerk.post(f"/admin/{view.endpoint}/ajax/update/", data=data)
    assert response.status_code >= 400 and message in response.get_data(as_text=True)


@pytest.mark.parametrize("case", _cases("bulk"), indirect=True)
def test_bulk_edit_refuses_with_the_rule_message(app, case):
    view, record_id, change, attr, message = case
    with app.test_request_context():
        try:
            preview = bulk_edit.preview(db.session, view.model, [record_id], change)
        except Refused as exc:  # refused for every record at once: a field's own check
            assert message in exc.messages()
            return
        assert [r.id for r in preview.refusals] == [record_id]
        assert message in preview.refusals[0].reason


@pytest.mark.parametrize("case", _cases("import"), indirect=True)
def test_import_refuses_with_the_rule_message(app, clerk, case):
    view, record_id, change, attr, message = case
    workbook = load_workbook(io.BytesIO(exported_file(app, clerk, view.endpoint)))
    sheet = workbook.active
    with app.test_request_context():
        columns = {name: str(header) for name, header, _kind in view.table_columns()}
        header_row = next(r for r in range(1, 6) if sheet.cell(r, 1).value == columns[view.table_columns()[0][0]])
        headers = [c.value for c in sheet[header_row]]
        for attr_name, value in change.items():
            col = headers.index(columns[_field_name(view.model, attr_name)]) + 1
            sheet.cell(header_row + 1, col).value = value if not isinstance(value, Decimal) else float(value)
        buffer = io.BytesIO()
        workbook.save(buffer)
        preview = importer.dry_run(db.session, view.model.__tablename__, buffer.getvalue(), "file.xlsx",
                                   view.import_columns())
        db.session.rollback()
        label, _, text = message.partition(": ")
        assert [(e.column, str(e.message)) for e in preview.errors] == [(label, text)]


def test_off_balance_account_is_derived_on_every_path(app, clerk):
    """An object of 10 000 ₽ or less goes to account 21 when commissioned, whether the date comes from the form,
    a bulk edit or an import (the rule set's ``derive``; the list doesn't edit that date inline)."""
    from models import Asset

    with app.test_request_context():
        by_form, by_bulk, by_import = (f.asset(db.session, book_value=Decimal("9500.00"), commissioned_on=None,
                                               balance_account="101.36") for _ in range(3))
        db.session.commit()
        ids = by_form.id, by_bulk.id, by_import.id
        view = _views(app)[Asset]
        data = _form_data(view, by_form)
        db.session.remove()
    data["commissioned_on"] = "01.02.2026"
    clerk.post(f"/admin/asset/edit/?id={ids[0]}", data=data)
    with app.test_request_context():
        preview = bulk_edit.preview(db.session, Asset, [ids[1]], {"commissioned_on": date(2026, 2, 1)})
        bulk_edit.apply(db.session, Asset, preview.versions, preview.changes)
        db.session.commit()
    workbook = load_workbook(io.BytesIO(exported_file(app, clerk, "asset")))
    sheet = workbook.active
    headers = [c.value for c in sheet[1]]
    with app.app_context():
        db_number = db.session.get(Asset, ids[2]).inventory_number
    for row in range(2, sheet.max_row + 1):
        number = sheet.cell(row, 1).value
        if number == db_number:
            sheet.cell(row, headers.index("Дата ввода в эксплуатацию") + 1).value = date(2026, 2, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with app.test_request_context():
        preview = importer.dry_run(db.session, "asset", buffer.getvalue(), "file.xlsx", view.import_columns())
        assert preview.ok, preview.errors
        importer.apply(db.session, preview, "file.xlsx")
        db.session.commit()
        assert [db.session.get(Asset, i).balance_account for i in ids] == ["21", "21", "21"]
