"""Column mappings a clerk saved under a name, found again for the next file from the same source.

A mapping is {header form: field name, or "" for a column skipped}; a file comes from the same source
when its headers are the ones the mapping was saved for (same signature), or, failing that, when it
has every header the mapping names (a statement that gained a column). The most recently used wins.
"""
import hashlib

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from models import SavedMapping, utcnow
from models.rules import Refused


class MappingError(Refused):
    """The mapping can't be saved (no name, too long)."""


def signature(forms: list[str]) -> str:
    """Of a file's header forms, in order (empty ones left out)."""
    return hashlib.sha256("\x1f".join(f for f in forms if f).encode("utf-8")).hexdigest()


def find(session, entity: str, forms: list[str]) -> SavedMapping | None:
    present = {f for f in forms if f}
    if not present:
        return None
    candidates = session.scalars(select(SavedMapping).where(SavedMapping.entity == entity)).all()
    exact = [m for m in candidates if m.headers_signature == signature(forms)]
    covering = [m for m in candidates if m.mapping and set(m.mapping) <= present]
    chosen = exact or covering
    if not chosen:
        return None
    return max(chosen, key=lambda m: (m.used_at or m.created_at, m.id))


def save(session, entity: str, name: str, forms: list[str], mapping: dict[str, str], owner_id=None) -> SavedMapping:
    """Save (or replace, under the same name) the mapping of a file's columns."""
    name = " ".join(name.split())
    if not name:
        raise MappingError(_l("Give the mapping a name."))
    if len(name) > 120:
        raise MappingError(_l("The name is too long: at most %(n)s characters.", n=120))
    record = session.scalar(select(SavedMapping).where(SavedMapping.entity == entity, SavedMapping.name == name))
    if record is None:
        record = SavedMapping(entity=entity, name=name, owner_id=owner_id)
        session.add(record)
    record.headers_signature = signature(forms)
    record.mapping = {form: mapping.get(form, "") for form in forms if form}
    record.used_at = utcnow()
    session.flush()
    return record


def used(session, mapping_id: int) -> None:
    record = session.get(SavedMapping, mapping_id)
    if record is not None:
        record.used_at = utcnow()
        record.uses = (record.uses or 0) + 1
