"""The institution's own requisites, its head and chief accountant, and the form family: one row,
edited by an administrator in the panel, read by every printed document."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import checks
from .base import Base, Tracked
from .types import LabeledEnum, enum_column


class FormFamily(LabeledEnum):
    # Order 52н: the paper forms 0504xxx; order 61н: the electronic forms 0510xxx that replace some of them.
    f52n = "52n", _l("Order 52n (forms 0504xxx)")
    f61n = "61n", _l("Order 61n (electronic forms 0510xxx)")


def _digits(*sizes):
    def check(value):
        value = (value or "").strip()
        if not value.isascii() or not value.isdigit() or len(value) not in sizes:
            raise checks.CheckError(_l("must be %(sizes)s digits", sizes=" / ".join(str(s) for s in sizes)))
        return value
    return check


class Institution(Tracked, Base):
    __tablename__ = "institution"
    verbose_name, verbose_name_plural = _l("Institution"), _l("Institution settings")

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(500), info={"label": _l("Full name")})
    short_name: Mapped[str | None] = mapped_column(String(200), info={"label": _l("Short name")})
    okpo: Mapped[str | None] = mapped_column(String(10), info={"label": _l("OKPO")})
    inn: Mapped[str | None] = mapped_column(String(12), info={"label": _l("INN")})
    kpp: Mapped[str | None] = mapped_column(String(9), info={"label": _l("KPP")})
    ogrn: Mapped[str | None] = mapped_column(String(15), info={"label": _l("OGRN")})
    oktmo: Mapped[str | None] = mapped_column(String(11), info={"label": _l("OKTMO")})
    registry_code: Mapped[str | None] = mapped_column(String(8), info={"label": _l("Code in the Consolidated register")})
    budget_name: Mapped[str | None] = mapped_column(String(300), info={"label": _l("Budget")})
    founder_name: Mapped[str | None] = mapped_column(String(500), info={"label": _l("Chief budget administrator (founder)")})
    founder_code: Mapped[str | None] = mapped_column(String(3), info={"label": _l("Chapter by budget classification")})
    address: Mapped[str | None] = mapped_column(String(500), info={"label": _l("Address")})
    phone: Mapped[str | None] = mapped_column(String(50), info={"label": _l("Phone")})
    head_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"),
                                                info={"label": _l("Head of the institution")})
    head_position: Mapped[str | None] = mapped_column(String(200), info={"label": _l("Head's position")})
    chief_accountant_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"),
                                                            info={"label": _l("Chief accountant")})
    form_family: Mapped[FormFamily] = mapped_column(enum_column(FormFamily), default=FormFamily.f52n,
                                                    info={"label": _l("Form family of new documents")})

    head: Mapped["Employee | None"] = relationship(foreign_keys=[head_id])  # noqa: F821
    chief_accountant: Mapped["Employee | None"] = relationship(foreign_keys=[chief_accountant_id])  # noqa: F821

    CHECKS = {"okpo": _digits(8, 10), "inn": checks.check_inn, "kpp": checks.check_kpp,
              "ogrn": checks.check_ogrn, "oktmo": _digits(8, 11), "registry_code": _digits(8),
              "founder_code": _digits(3)}

    @staticmethod
    def rules(old, new, through=None) -> list:
        """Every identifier that is filled in must be well formed."""
        found = []
        for field, check in Institution.CHECKS.items():
            value = (new or {}).get(field)
            if not value:
                continue
            try:
                check(value)
            except checks.CheckError as exc:
                found.append((field, exc.message))
        return found

    @property
    def head_title(self) -> str:
        """The head's position as signed under «УТВЕРЖДАЮ»."""
        return self.head_position or (self.head.position if self.head else "") or ""

    def __str__(self):
        return self.short_name or self.full_name
