"""Forms and inline edits run the model's rule set (``models.rules``), so they refuse exactly what bulk
edit, import and the services refuse, with the same message, shown on the field it concerns."""
from flask import flash
from sqlalchemy import inspect as sa_inspect

from models.registry import label
from models.rules import judge, values_of


SYSTEM = ("id", "version", "created_at", "updated_at")


def _plain(value):
    if value == "":
        return None
    return getattr(value, "id", value) if hasattr(value, "__mapper__") else value


def _column_default(column):
    default = column.default
    if default is None or callable(default.arg):
        return None
    return default.arg


class RuleSetMixin:
    """Runs ``judge(model, old, new)`` on every create, edit and inline-edit form."""

    def _form_attrs(self) -> dict[str, str]:
        """Form field name → column attribute (a relationship's field sets its foreign key)."""
        mapper = self.model.__mapper__
        result = {}
        for prop in mapper.attrs:
            if hasattr(prop, "columns"):
                result[prop.key] = prop.key
            elif hasattr(prop, "local_columns") and len(prop.local_columns) == 1 and not prop.uselist:
                result[prop.key] = mapper.get_property_by_column(next(iter(prop.local_columns))).key
        return result

    def _record_form(self, form) -> bool:
        return any(isinstance(form, cls) for cls in (self._create_form_class, self._edit_form_class,
                                                   getattr(self, "_list_form_class", None)) if cls is not None)

    def _record_of(self, form):
        if getattr(form, "_obj", None) is not None:
            return form._obj
        pk = getattr(getattr(form, "list_form_pk", None), "data", None)
        return self.get_one(pk) if pk not in (None, "") else None

    def validate_form(self, form):
        valid = super().validate_form(form)
        if not self._record_form(form) or not form.is_submitted():
            return valid
        record = self._record_of(form)
        if record is not None:
            old = values_of(record)
            new = dict(old)
        else:
            old = None
            # A new record: what the form sets, and the columns' defaults (others are set by the view's hooks).
            new = {p.key: _column_default(p.columns[0]) for p in self.model.__mapper__.column_attrs
                   if _column_default(p.columns[0]) is not None}
        attrs = self._form_attrs()
        fields = {}
        for name, field in form._fields.items():
            attr = attrs.get(name)
            if attr is not None and attr != "version":
                new[attr] = _plain(field.data)
                fields[attr] = field
        judged, problems = judge(self.model, old, new)
        for attr, message in problems:
            text = f"{label(self.model, attr)}: {message}" if attr else str(message)
            field = fields.get(attr)
            if field is None and getattr(form, "list_form_pk", None) is not None and fields:
                field = next(iter(fields.values()))  # an inline edit answers with its one field's errors
            if field is not None and field.errors:
                continue  # the value itself was refused already; one message per field
            if field is not None:
                field.errors = list(field.errors) + [text]
            else:
                flash(text, "error")
        # Only what the rule set normalised or derived is written back; the form set the rest.
        form._judged = {k: v for k, v in judged.items() if new.get(k) != v}
        return valid and not problems

    def on_model_change(self, form, model, is_created):
        # Normalised and derived values (a plate in Cyrillic, account 21) land on every saved record.
        judged = getattr(form, "_judged", None)
        if judged:
            columns = sa_inspect(model).mapper.column_attrs
            for attr, value in judged.items():
                if attr in columns and attr not in SYSTEM and getattr(model, attr) != value:
                    setattr(model, attr, value)
        super().on_model_change(form, model, is_created)
