"""The dry run's plan as JSON and back: what the clerk saw is what any worker applies.

Every value that is not plain JSON is written as a tagged object ``{"$t": tag, "v": …}`` — Decimal as
its exact text, dates in ISO form, enum members by class and value, lazy messages by message id and
parameters (so they are shown in the reader's language) and the preview's own dataclasses by name.
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


def encode(value, classes=None):
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
                # The planned records share their keys: a table, the keys written once.
                plain = (int, float, bool, type(None))  # str is not: an enum member is a str
                return {"$t": "rows", "k": list(keys),
                        "v": [[x if type(x) in plain or type(x) is str else encode(x) for x in v.values()]
                              for v in value]}
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"$t": "map", "v": [[encode(k), encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value):
        return {"$t": "obj", "c": type(value).__name__,
                "v": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    raise TypeError(f"cannot keep {type(value).__name__} in an import plan")


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
    if tag == "rows":
        keys = value["k"]
        plain = (str, int, float, bool, type(None))
        return [dict(zip(keys, [x if isinstance(x, plain) else decode(x, enums, classes) for x in row]))
                for row in value["v"]]
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
