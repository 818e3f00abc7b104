"""Who may do what in a model view, checked on the server before any view method runs.

Each Flask-Admin endpoint maps to an operation; a view permits an operation for a role by its
declarations: ``read_roles``, ``write_roles``, ``export_roles`` and the ``allow_create/edit/delete``
switches. Anything a role may not do answers 403 (anonymous visitors go to the login page), so a
direct POST is refused just like a hidden button. ``tests/test_permissions.py`` walks every
registered view with this same mapping, so a view added later is covered automatically.

Permission matrix (the same table is in README.md):

| operation | admin | clerk | accountant | head | viewer |
|---|---|---|---|---|---|
| lists, details, home page, pickers, accounting reports | ✓ | ✓ | ✓ | ✓ | ✓ |
| export to Excel (a list, the ticked rows), download a write-off act or a transfer form | ✓ | ✓ | ✓ | ✓ | ✓ |
| create, edit, inline edit, delete; bulk edit; import; transfers; write-off drafts, their cancelling, disposal | ✓ | ✓ | — | — | — |
| approve a write-off act | ✓ | — | — | ✓ | — |
| undo a batch (from its result page; from the change log for those who read it) | ✓ | ✓ | — | — | — |
| users (list, create, edit, set password; no delete) | ✓ | — | — | — | — |
| change log: read (nobody edits or deletes it) | ✓ | — | ✓ | ✓ | — |
"""
from flask import abort, request
from flask_login import current_user

from models import Role

EVERYONE = frozenset(Role)
EDITORS = frozenset({Role.admin, Role.clerk})
EXPORTERS = EVERYONE  # exporting is reading: whoever may read a list may take it to Excel
ADMINS = frozenset({Role.admin})

# Flask-Admin's endpoints and the operation each performs.
ENDPOINT_OPERATIONS = {
    "index_view": "read",
    "details_view": "read",
    "ajax_lookup": "read",
    "create_view": "create",
    "edit_view": "edit",
    "delete_view": "delete",
    "action_view": "action",
    "ajax_update": "inline",
    "export": "export",
}


def current_role() -> Role | None:
    if current_user and current_user.is_authenticated and current_user.is_active:
        return current_user.role
    return None


def endpoint_operation(view, name: str) -> str:
    """The operation an endpoint of ``view`` performs; endpoints nobody declared count as writes."""
    declared = view.declared("endpoint_operations")
    if name in declared:
        return declared[name]
    if name in ENDPOINT_OPERATIONS:
        return ENDPOINT_OPERATIONS[name]
    return "export" if name.startswith("export") else "write"


class PermissionMixin:
    """Refuse with 403, before the view runs, any operation the current role may not perform.

    A view (or a mixin adding endpoints) declares extra endpoints in ``endpoint_operations``
    ({"bulk_edit_view": "write"}) and what its batch actions need in ``action_operations``
    ({"export_selected": "export"}); undeclared endpoints and actions need ``write_roles``.
    """

    export_roles = EXPORTERS
    endpoint_operations: dict[str, str] = {}
    action_operations: dict[str, str] = {}

    def declared(self, attr: str) -> dict[str, str]:
        """``endpoint_operations`` or ``action_operations`` of this view and every mixin it has."""
        merged = {}
        for cls in reversed(type(self).__mro__):
            merged.update(cls.__dict__.get(attr) or {})
        return merged

    def permits(self, operation: str) -> bool:
        role = current_role()
        if role not in self.read_roles:
            return False
        if operation == "read":
            return True
        if operation == "export":
            return role in self.export_roles
        if operation == "create":
            return self.can_create
        if operation == "edit":
            return self.can_edit
        if operation == "delete":
            return self.can_delete
        if operation == "inline":
            return self.can_edit and bool(self.column_editable_list)
        if operation == "action":
            return bool(self.get_actions_list()[0])  # the actions is_action_allowed lets through
        # Any other operation a view names («approve», «undo») is allowed to its ``<operation>_roles``.
        return role in getattr(self, f"{operation}_roles", self.write_roles)

    def is_action_allowed(self, name):
        operation = self.declared("action_operations").get(name) or ("delete" if name == "delete" else "write")
        return self.permits(operation) and super().is_action_allowed(name)

    def _handle_view(self, name, **kwargs):
        refused = super()._handle_view(name, **kwargs)
        if refused is not None:
            return refused
        if not self.permits(endpoint_operation(self, name)):
            abort(403)
        # One action endpoint serves every action: check the one asked for.
        if name == "action_view":
            action = request.form.get("action", "")
            if action not in {allowed for allowed, _text in self.get_actions_list()[0]}:
                abort(403)
        return None
