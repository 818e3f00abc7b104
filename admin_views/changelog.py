"""The change log («Журнал изменений»): read-only for everyone, filtered by user, record type, action, date."""
from collections import defaultdict

from flask import g
from flask_admin.contrib.sqla import filters
from markupsafe import Markup

from models import ChangeLogEntry, Role, db
from models.labels import ACTION_LABELS, FIELD_LABELS, field_label
from models.registry import all_entity_labels, entity_labels

from .base import SecuredModelView
from .undo import UndoBatchActionMixin
from .history import action_label, describe, model_for_table

LOG_READERS = frozenset({Role.admin, Role.accountant, Role.head})


def describe_page(entries) -> dict[int, object]:
    """Entry id -> its described row, related records named with one query per table and page."""
    by_entity = defaultdict(list)
    for entry in entries:
        by_entity[entry.entity].append(entry)
    described = {}
    for entity, group in by_entity.items():
        for entry, row in zip(group, describe(db.session, model_for_table(entity), group)):
            described[entry.id] = row
    return described


def render_changes(entry: ChangeLogEntry) -> Markup:
    """«field: old → new» lines for a person to read (labels and names, not raw values)."""
    row = g.get("change_log_rows", {}).get(entry.id) or describe_page([entry])[entry.id]
    return Markup("<br>").join(
        Markup("<b>{}</b>: {} → {}").format(label, old, new) for label, old, new in row.changes
    )


def changes_text(changes: dict) -> str:
    """The same «field: old → new» lines as plain text, for a spreadsheet cell."""
    return "\n".join(f"{field_label(name)}: {'—' if old is None else old} → {'—' if new is None else new}"
                     for name, (old, new) in (changes or {}).items())


class ChangeLogView(UndoBatchActionMixin, SecuredModelView):
    read_roles = LOG_READERS
    write_roles = frozenset()  # nobody edits or deletes the log through the panel
    allow_create = allow_edit = allow_delete = False
    can_set_page_size = True
    column_list = ("at", "username", "action", "entity", "entity_id", "changes", "comment", "batch_id")
    column_sortable_list = ("at", "username", "action", "entity", "entity_id")
    column_default_sort = ("id", True)
    column_filters = (
        filters.FilterEqual(ChangeLogEntry.username, FIELD_LABELS["user"]),
        filters.FilterEqual(ChangeLogEntry.entity, FIELD_LABELS["entity"],
                            options=all_entity_labels),
        filters.FilterEqual(ChangeLogEntry.action, FIELD_LABELS["action"], options=list(ACTION_LABELS.items())),
        filters.FilterEqual(ChangeLogEntry.batch_id, FIELD_LABELS["batch_id"]),
        "entity_id", "at",
    )
    column_formatters = {
        "changes": lambda v, c, m, n: render_changes(m),
        "entity": lambda v, c, m, n: entity_labels(m.entity)[0],
        "action": lambda v, c, m, n: action_label(m.action),
    }
    column_formatters_detail = column_formatters
    column_export_converters = {"changes": changes_text,
                                "entity": lambda table: str(entity_labels(table)[0])}
    column_labels = {"username": FIELD_LABELS["user"]}

    def get_list(self, *args, **kwargs):
        count, entries = super().get_list(*args, **kwargs)
        if isinstance(entries, list):  # a page to show, not a query for an export
            g.change_log_rows = describe_page(entries)
        return count, entries

    def record_filter_args(self, entity: str, entity_id) -> dict[str, str]:
        """List arguments that show one record's entries."""
        return self.filter_args(("entity", filters.FilterEqual, entity),
                                ("entity_id", filters.IntEqualFilter, str(entity_id)))
