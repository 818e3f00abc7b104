"""Departments and employees."""
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from flask_babel import lazy_gettext as _l

from .base import Base, Tracked


class Department(Tracked, Base):
    __tablename__ = "department"
    verbose_name, verbose_name_plural = _l("Department"), _l("Departments")
    natural_key = ("code",)
    search_fields = ("name", "code")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    code: Mapped[str | None] = mapped_column(String(20), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), index=True)

    parent: Mapped["Department | None"] = relationship(remote_side=[id])

    @staticmethod
    def rules(old, new, through=None):
        problems = []
        if old is not None and new.get("parent_id") is not None and new.get("parent_id") == old.get("id"):
            problems.append(("parent_id", _l("a department cannot be its own parent")))
        return problems

    def __str__(self):
        return self.name


class Employee(Tracked, Base):
    __tablename__ = "employee"
    verbose_name, verbose_name_plural = _l("Employee"), _l("Employees")
    natural_key = ("personnel_number",)
    search_fields = ("full_name", "personnel_number", "position")
    bulk_editable = ("department_id", "position", "is_responsible", "is_driver", "is_active")
    importable = ("full_name", "position", "department_id", "personnel_number", "is_responsible", "is_driver",
                  "licence_number", "licence_expires_on", "is_active")

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200), index=True, info={
        "example": "Иванов Иван Иванович", "aliases": (_l("Full name of the employee"),)})
    position: Mapped[str | None] = mapped_column(String(200), info={"example": "Ведущий специалист"})
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    personnel_number: Mapped[str | None] = mapped_column(String(20), unique=True, info={"example": "000123"})
    is_responsible: Mapped[bool] = mapped_column(Boolean, default=False, index=True, info={"example": True})
    is_driver: Mapped[bool] = mapped_column(Boolean, default=False, index=True, info={"example": False})
    licence_number: Mapped[str | None] = mapped_column(String(20))
    licence_expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    licence_issued_on: Mapped[date | None] = mapped_column(Date)  # printed on waybills (приказ Минтранса № 390)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True, info={"example": True})

    department: Mapped[Department | None] = relationship()

    @staticmethod
    def rules(old, new, through=None):
        if new.get("licence_expires_on") is not None and not new.get("licence_number"):
            return [("licence_number", _l("required when the licence expiry date is given"))]
        return []

    def __str__(self):
        return self.full_name
