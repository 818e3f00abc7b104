"""Records named by their ``str`` for a set of ids: the one loader behind exports, history and previews."""
from sqlalchemy import select
from sqlalchemy.orm import RelationshipDirection, joinedload


def related_names(session, model, ids) -> dict:
    """``{id: str(record)}`` for the given ids (one query), with what ``__str__`` may touch loaded alongside."""
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    mapper = model.__mapper__
    # __str__ may name a parent (a room shows its building): load many-to-one parents in the same query.
    parents = [joinedload(rel.class_attribute) for rel in mapper.relationships
               if rel.direction is RelationshipDirection.MANYTOONE]
    pk = mapper.primary_key[0]
    records = session.scalars(select(model).where(pk.in_(ids)).options(*parents)).unique()
    return {getattr(record, pk.key): str(record) for record in records}
