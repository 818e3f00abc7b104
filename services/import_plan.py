"""The dry run's plan as JSON and back: what the clerk saw is what any worker applies.

Every value that is not plain JSON is written as a tagged object ``{"$t": tag, "v": …}`` — Decimal as
its exact text, dates in ISO form, enum members by class and value, lazy messages by message id and
parameters (so they are shown in the reader's language) and the preview's own dataclasses by name.
Planned records (many dicts with the same keys) are written as typed columns, the keys and the type
once per column: a 50 000-row plan is about 10 MB and reads back in a fraction of a second.
Reading accepts only these tags and only the classes listed here: a plan can't make any other object.
"""
import dataclasses
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString

from models import LabeledEnum

PLAN_FORMAT = 1  # bumped when the Preview's shape changes; an older plan is checked again


def _enum_classes() -> dict[str, type]:
    found, todo = {}, [LabeledEnum]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found[sub.__name__] = sub
            todo.append(sub)
    return found


def _dataclasses() -> dict[str, type]:
    from . import importer

    return {cls.__name__: cls for cls in importer.PLAN_CLASSES}


def encode(value):
    if value is None or isinstance(value, (bool, int, str, float)):
        if isinstance(value, LabeledEnum):
            return {"$t": "enum", "c": type(value).__name__, "v": value.value}
        return value
    if isinstance(value, Decimal):
        return {"$t": "dec", "v": str(value)}
    if isinstance(value, datetime):
        return {"$t": "dt", "v": value.isoformat()}
    if isinstance(value, date):
        return {"$t": "date", "v": value.isoformat()}
    if isinstance(value, LazyString):
        if value._func is gettext and len(value._args) == 1:
            return {"$t": "msg", "id": value._args[0], "kw": {k: encode(v) for k, v in value._kwargs.items()}}
        return str(value)
    if isinstance(value, (list, tuple)):
        if len(value) > 1 and isinstance(value[0], dict) and all(isinstance(k, str) for k in value[0]):
            keys = tuple(value[0])
            if all(isinstance(v, dict) and tuple(v) == keys for v in value):
                # Planned records share their keys and each key its type: a table of typed columns.
                return {"$t": "cols", "k": list(keys), "n": len(value),
                        "c": [_column([v[k] for v in value]) for k in keys]}
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"$t": "map", "v": [[encode(k), encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value):
        return {"$t": "obj", "c": type(value).__name__,
                "v": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    raise TypeError(f"cannot keep {type(value).__name__} in an import plan")


_COLUMN_TYPES = {Decimal: ("dec", str), date: ("date", date.isoformat), datetime: ("dt", datetime.isoformat)}
_PLAIN = (str, int, float, bool)


def _column(values: list) -> dict:
    """One column of planned records, its values of one type written without a tag each."""
    kinds = {type(v) for v in values if v is not None}
    kind = kinds.pop() if len(kinds) == 1 else None
    if not kinds and kind in _COLUMN_TYPES:
        tag, write = _COLUMN_TYPES[kind]
        return {"t": tag, "v": [None if v is None else write(v) for v in values]}
    if not kinds and kind is not None and issubclass(kind, LabeledEnum):
        return {"t": "enum", "c": kind.__name__, "v": [None if v is None else v.value for v in values]}
    if not kinds and (kind is None or kind in _PLAIN):
        return {"t": "plain", "v": values}
    return {"t": "any", "v": [encode(v) for v in values]}


def _read_column(column: dict, enums, classes) -> list:
    tag, values = column["t"], column["v"]
    if tag == "plain":
        return values
    if tag == "any":
        return [decode(v, enums, classes) for v in values]
    if tag == "enum":
        read = (enums if enums is not None else _enum_classes())[column["c"]]
    else:
        read = {"dec": Decimal, "date": date.fromisoformat, "dt": datetime.fromisoformat}[tag]
    return [None if v is None else read(v) for v in values]


def decode(value, enums=None, classes=None):
    if isinstance(value, list):
        return [decode(v, enums, classes) for v in value]
    if not isinstance(value, dict):
        return value
    tag = value.get("$t")
    if tag is None:
        return {k: decode(v, enums, classes) for k, v in value.items()}
    if tag == "dec":
        return Decimal(value["v"])
    if tag == "date":
        return date.fromisoformat(value["v"])
    if tag == "dt":
        return datetime.fromisoformat(value["v"])
    if tag == "enum":
        enums = enums if enums is not None else _enum_classes()
        return enums[value["c"]](value["v"])
    if tag == "msg":
        return lazy_gettext(value["id"], **{k: decode(v, enums, classes) for k, v in value["kw"].items()})
    if tag == "cols":
        keys = value["k"]
        if not keys:
            return [{} for _ in range(value["n"])]
        return [dict(zip(keys, row)) for row in zip(*(_read_column(c, enums, classes) for c in value["c"]))]
    if tag == "map":
        return {decode(k, enums, classes): decode(v, enums, classes) for k, v in value["v"]}
    if tag == "obj":
        classes = classes if classes is not None else _dataclasses()
        cls = classes[value["c"]]  # KeyError: not a class a plan may hold
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: decode(v, enums, classes) for k, v in value["v"].items() if k in names})
    raise ValueError(f"unknown tag in an import plan: {tag!r}")


def dump(preview) -> dict:
    """The preview as a JSON-ready dict."""
    return {"format": PLAN_FORMAT, "preview": encode(preview)}


def load(plan: dict | None):
    """The preview a plan holds, or None for a plan of an older format."""
    if not plan or plan.get("format") != PLAN_FORMAT:
        return None
    return decode(plan["preview"], _enum_classes(), _dataclasses())
