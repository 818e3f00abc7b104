"""Departments and employees."""
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Tracked


class Department(Tracked, Base):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    code: Mapped[str | None] = mapped_column(String(20), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), index=True)

    parent: Mapped["Department | None"] = relationship(remote_side=[id])

    def __str__(self):
        return self.name


class Employee(Tracked, Base):
    __tablename__ = "employee"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200), index=True)
    position: Mapped[str | None] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    personnel_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    is_responsible: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    is_driver: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    licence_number: Mapped[str | None] = mapped_column(String(20))
    licence_expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)

    department: Mapped[Department | None] = relationship()

    def __str__(self):
        return self.full_name
