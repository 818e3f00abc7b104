"""Column types: exact money, and enums stored by value with translatable labels."""
import enum
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, Numeric
from sqlalchemy.types import Enum as SAEnum
from sqlalchemy.types import TypeDecorator

KOPECK = Decimal("0.01")


def to_money(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(KOPECK, rounding=ROUND_HALF_UP)


class Hundredths(TypeDecorator):
    """A Decimal to two places, exact on every database (money, litres).

    PostgreSQL keeps NUMERIC(p, 2). SQLite has no decimal type (NUMERIC there is a float), so it keeps whole
    hundredths in an INTEGER and SUM stays exact; wrap aggregates in ``type_coerce(func.sum(col), Type())``.
    """

    impl = Numeric(15, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(type(self).impl.precision, 2))

    def process_bind_param(self, value, dialect):
        value = to_money(value)
        if value is None or dialect.name != "sqlite":
            return value
        return int(value * 100)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-2)  # whole hundredths -> exactly 2 places
        return to_money(value)


class Money(Hundredths):
    """Rubles, exact to the kopeck: NUMERIC(15, 2) on PostgreSQL, whole kopecks on SQLite."""

    impl = Numeric(15, 2)
    cache_ok = True


class LabeledEnum(str, enum.Enum):
    """A str enum whose members carry a translatable label: ``Status.in_use.label``."""

    def __new__(cls, value, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    def __str__(self):
        return str(self.label)

    @classmethod
    def choices(cls):
        return [(m.value, m.label) for m in cls]


def enum_column(enum_cls: type[LabeledEnum], length: int = 32):
    """Stored as the member's value under a CHECK constraint, read back as the member."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        name=enum_cls.__name__.lower(),
    )
