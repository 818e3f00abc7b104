"""One rule set per model, and the one refusal every write path raises.

A model's rules are its column checks (``mapped_column(..., info={"check": checks.check_inn})``) and its
cross-field ``rules(old, new, through)`` — a static method over plain values that returns every problem as
(field, message). Derived values (``derive(old, new)``) are computed here too, after the rules pass. The
form, inline edit, bulk edit, import, the services and the CLI all call ``judge`` or ``enforce``; nothing
restates a rule.

``old`` is None when a record is created; ``old`` and ``new`` map attribute names to Python values, ``new``
being the whole record after the change. ``through`` names the document a change comes from (e.g.
``"write_off_act"``): some states may be entered only through their document.
"""
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from sqlalchemy import inspect as sa_inspect

from .checks import CheckError

Problem = tuple[str | None, object]  # (attribute or None for the record, lazy message)


class Refused(Exception):
    """A service or rule refuses a change; ``problems`` are (field, message) pairs. Nothing was written."""

    def __init__(self, problems: Iterable[Problem] | object, field: str | None = None, model=None):
        self.model = model  # whose fields the problems name (their labels come from its registry entry)
        if isinstance(problems, (list, tuple)) and all(isinstance(p, tuple) and len(p) == 2 for p in problems):
            self.problems = list(problems)
        else:  # one message
            self.problems = [(field, problems)]
        super().__init__(*[m for _f, m in self.problems])

    def __str__(self):  # lazy messages are translated when shown, not when raised
        return "; ".join(str(m) for _f, m in self.problems)

    def messages(self, label=None) -> list[str]:
        """«Field: message» for each problem; ``label(field)`` names a field."""
        from .registry import label as registry_label

        label = label or (lambda f: registry_label(self.model, f))
        return [f"{label(f)}: {m}" if f else str(m) for f, m in self.problems]


def column_checks(model) -> dict[str, object]:
    """Attribute → check function, from the columns' ``info``."""
    result = {}
    for attr in model.__mapper__.column_attrs:
        check = attr.columns[0].info.get("check")
        if check is not None:
            result[attr.key] = check
    return result


def values_of(obj) -> dict:
    """The record's column values as plain Python values, by attribute name (what rules read)."""
    state = sa_inspect(obj)
    return {attr.key: state.attrs[attr.key].value for attr in obj.__mapper__.column_attrs}


def judge(model, old: Mapping | None, new: Mapping, through: str | None = None,
          session=None) -> tuple[dict, list[Problem]]:
    """(the record after the change, normalised and with derived values; problems). Writes nothing.

    A model's ``rules_among(session, old, new, through)`` — rules that read other records (a vehicle's
    previous waybill, double bookings) — runs once the record's own rules pass, on ``session`` or the
    application's session."""
    new = dict(new)
    problems: list[Problem] = []
    for attr, check in column_checks(model).items():
        value = new.get(attr)
        if value in (None, "") or (old is not None and old.get(attr) == value):
            continue
        try:
            new[attr] = check(value)
        except CheckError as exc:
            problems.append((attr, exc.message))
    column_problems = _column_problems(model, old, new)
    rules = getattr(model, "rules", None)
    own = list(rules(old, new, through)) if rules is not None else []
    # Where the model's own rule speaks of a field, its words are the message (not the column's generic one).
    problems.extend(p for p in column_problems if p[0] not in {f for f, _m in own})
    problems.extend(own)
    derive = getattr(model, "derive", None)
    if not problems and derive is not None:
        new.update(derive(old, new))
    among = getattr(model, "rules_among", None)
    if not problems and among is not None:
        if session is None:
            from .base import db
            session = db.session
        problems.extend(among(session, old, new, through))
    return new, problems


def _column_problems(model, old, new) -> list[Problem]:
    """What every column says of itself: required, and no longer than its length."""
    from flask_babel import lazy_gettext as _l

    problems = []
    for attr in model.__mapper__.column_attrs:
        column = attr.columns[0]
        if column.primary_key or attr.key in ("version", "created_at", "updated_at"):
            continue
        value = new.get(attr.key)
        if old is not None and old.get(attr.key) == value:
            continue
        if value is None and not column.nullable and column.default is None and attr.key in new:
            problems.append((attr.key, _l("required")))
        length = getattr(column.type, "length", None)
        if isinstance(value, str) and length and len(value) > length:
            problems.append((attr.key, _l("too long: at most %(n)s characters", n=length)))
        problem = _out_of_type(column, value)
        if problem is not None:
            problems.append((attr.key, problem))
            continue
        # The column's declared range (models/limits.py; the database has the same CHECK).
        low, high = column.info.get("min"), column.info.get("max")
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            if low is not None and value < low:
                problems.append((attr.key, _l("cannot be negative") if low == 0 else
                                 _l("Must not be less than %(min)s.", min=low)))
            elif high is not None and value > high:
                problems.append((attr.key, _l("Must not be more than %(max)s.", max=high)))
    return problems


def _out_of_type(column, value):
    """A value the column's type can't hold (the database would refuse it with its own words)."""
    from flask_babel import lazy_gettext as _l
    from sqlalchemy import Date, Integer, Numeric, TypeDecorator

    if isinstance(value, bool) or value is None:
        return None
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type  # Money: NUMERIC(15, 2)
    if isinstance(value, Decimal) and isinstance(kind, Numeric):
        whole = (kind.precision or 15) - (kind.scale or 0)
        if not value.is_finite() or abs(value) >= Decimal(10) ** whole:
            return _l("Too large: at most %(digits)s digits before the decimal comma.", digits=whole)
    if isinstance(value, int) and isinstance(kind, Integer) and abs(value) > 2**31 - 1:
        return _l("Must not be more than %(max)s.", max=2**31 - 1)
    if isinstance(value, date) and isinstance(kind, Date) and not (1900 <= value.year <= 2100):
        return _l("A date between %(first)s and %(last)s, please.", first=1900, last=2100)
    return None


def enforce(model, old: Mapping | None, new: Mapping, through: str | None = None, session=None) -> dict:
    """The record after the change (normalised, derived values set), or ``Refused`` with every problem."""
    new, problems = judge(model, old, new, through, session)
    if problems:
        raise Refused(problems, model=model)
    return new


def changed(old: Mapping | None, new: Mapping) -> dict:
    """The attributes whose value differs between ``old`` and ``new``."""
    if old is None:
        return dict(new)
    return {k: v for k, v in new.items() if old.get(k) != v}
