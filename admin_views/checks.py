"""Start-up checks of the view declarations, in the spirit of Django's ModelAdminChecks: a view that names a
column, filter, form field or export column its model does not have fails loudly when the app starts, not
when a clerk opens the page."""

CHECKED = ("column_list", "column_details_list", "column_searchable_list", "column_sortable_list",
           "column_filters", "column_editable_list", "form_columns", "column_export_list", "column_default_sort")


class ViewDeclarationError(RuntimeError):
    pass


def _names(value) -> list[str]:
    """The attribute paths a declaration names (Flask-Admin also takes tuples, columns and filter objects)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    names = []
    for item in value:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, tuple) and item and isinstance(item[0], str):
            names.append(item[0])  # (name, sort expression) or (name, descending)
    return names


def _resolves(model, path: str) -> bool:
    """``name`` or ``relation.name``: a column, a relationship, a property or a declared expression."""
    target = model
    for part in path.split("."):
        mapper = getattr(target, "__mapper__", None)
        if mapper is not None and part in mapper.relationships:
            target = mapper.relationships[part].mapper.class_
            continue
        if mapper is not None and part in mapper.all_orm_descriptors:
            target = None
            continue
        if isinstance(getattr(target, part, None), property):
            target = None
            continue
        return False
    return True


def check_view(view, model=None) -> list[str]:
    """Problems of one model view's declarations (a view or its class, and its model), as sentences."""
    model = model or view.model
    extra = set(getattr(view, "column_export_expressions", None) or {}) | set(
        getattr(view, "form_extra_fields", None) or {})
    problems = []
    for declaration in CHECKED:
        for name in _names(getattr(view, declaration, None)):
            if name not in extra and not _resolves(model, name):
                problems.append(f"{type(view).__name__}.{declaration} names «{name}», "
                                f"which {model.__name__} does not have")
    return problems


def check_declarations(view, model) -> None:
    problems = check_view(view, model)
    if problems:
        raise ViewDeclarationError("; ".join(problems))
