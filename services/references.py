"""What still refers to a record, so a delete can be refused with a reason instead of an error."""
from sqlalchemy import func, inspect, select

from models import Base


def referrers(session, obj) -> list[tuple[str, int]]:
    """(table name, row count) for every table whose foreign key still points at ``obj``.

    Cascading and nulling keys are left out: they never block a delete.
    """
    table = obj.__table__
    pk = inspect(obj).identity[0]
    found = []
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not table or (fk.ondelete or "").upper() in ("CASCADE", "SET NULL"):
                continue
            count = session.scalar(select(func.count()).select_from(other).where(fk.parent == pk))
            if count:
                found.append((other.name, count))
    return found
