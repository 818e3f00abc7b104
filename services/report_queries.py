"""What the accounting reports list: plain functions over a session, returning plain rows.

Figures "at a date" (the inventory list, the assets of a responsible person):
* at today's date (or later) the stored ``Asset.depreciation`` is used — it is what the books say
  now, including any correction the accountant entered by hand;
* at an earlier date the stored figure would be wrong (it has grown since), so accumulated
  depreciation is computed by the 257н rules (``depreciation_rules.accumulated_at``) from book
  value, commissioning date and useful life.
Residual value is always book value − depreciation, never negative.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from collections.abc import Iterator

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from models import (Asset, AssetCategory, AssetStatus, Building, Contract, ContractKind, ContractStatus,
                    Employee, Room, Supplier)

from .depreciation_rules import accumulated_at

ZERO = Decimal("0.00")


@dataclass
class AssetLine:
    balance_account: str
    responsible_id: int | None
    responsible: str | None
    position: str | None
    inventory_number: str
    name: str
    serial_number: str | None
    room: str | None
    commissioned_on: date | None
    book_value: Decimal
    depreciation: Decimal

    @property
    def residual_value(self) -> Decimal:
        return max(self.book_value - self.depreciation, ZERO)


def _on_balance_at(at: date):
    """Assets accepted by ``at`` and not yet written off or disposed of at ``at``."""
    return and_(or_(Asset.accepted_on.is_(None), Asset.accepted_on <= at),
                or_(Asset.written_off_on.is_(None), Asset.written_off_on > at),
                or_(Asset.disposed_on.is_(None), Asset.disposed_on > at))


def asset_lines(session, at: date, *, department_id: int | None = None, responsible_id: int | None = None,
                status: AssetStatus | None = None, today: date | None = None,
                by_person: bool = False) -> Iterator[AssetLine]:
    """Assets on the balance at ``at``, ordered by balance account (off-balance 21 last), responsible
    person, inventory number; ``by_person``: by responsible person first, then account."""
    today = today or date.today()
    account = func.coalesce(Asset.balance_account, AssetCategory.balance_account)
    statement = (
        select(account, Asset.responsible_id, Employee.full_name, Employee.position, Asset.inventory_number,
               Asset.name, Asset.serial_number, Building.name, Room.number, Asset.commissioned_on,
               Asset.book_value, Asset.depreciation, Asset.useful_life_months)
        .join(AssetCategory, Asset.category_id == AssetCategory.id)
        .outerjoin(Employee, Asset.responsible_id == Employee.id)
        .outerjoin(Room, Asset.room_id == Room.id)
        .outerjoin(Building, Room.building_id == Building.id)
        .where(_on_balance_at(at))
    )
    person = (Employee.full_name.is_(None), Employee.full_name, Asset.responsible_id)
    accounts = (account == "21", account)
    statement = statement.order_by(*(person + accounts if by_person else accounts + person), Asset.inventory_number)
    if department_id:
        statement = statement.where(Asset.department_id == department_id)
    if responsible_id:
        statement = statement.where(Asset.responsible_id == responsible_id)
    if status:
        statement = statement.where(Asset.status == status)
    stored = at >= today
    for (acc, resp_id, resp, position, inv, name, serial, building, room, commissioned, value, depreciation,
         life) in session.execute(statement.execution_options(yield_per=2000)):
        if not stored:
            depreciation = accumulated_at(value, commissioned, life, at)
        yield AssetLine(acc or "", resp_id, resp, position, inv, name, serial,
                        f"{building} / {room}" if room else None, commissioned, value,
                        min(depreciation or ZERO, value))


def responsible_people(session, *, department_id: int | None = None) -> list[tuple[int, str]]:
    """Materially responsible people (and anyone else who holds assets), by name."""
    holds = select(Asset.responsible_id).where(Asset.responsible_id.is_not(None))
    statement = (select(Employee.id, Employee.full_name)
                 .where(or_(Employee.is_responsible.is_(True), Employee.id.in_(holds)))
                 .order_by(Employee.full_name))
    if department_id:
        statement = statement.where(Employee.department_id == department_id)
    return [tuple(row) for row in session.execute(statement)]


@dataclass
class ContractLine:
    number: str
    signed_on: date
    supplier: str
    inn: str
    subject: str
    kind: ContractKind
    amount: Decimal
    starts_on: date | None
    ends_on: date | None
    status: ContractStatus
    days_to_end: int | None
    ikz: str | None = None
    procurement_method: object = None


def contract_lines(session, *, signed_from: date | None = None, signed_to: date | None = None,
                   status: ContractStatus | None = None, kind: ContractKind | None = None,
                   supplier_id: int | None = None, today: date | None = None) -> list[ContractLine]:
    """Contracts signed in the period, by date then number; days to end counted from ``today``."""
    today = today or date.today()
    supplier = aliased(Supplier)
    statement = (select(Contract.number, Contract.signed_on, supplier.short_name, supplier.inn, Contract.subject,
                        Contract.kind, Contract.amount, Contract.starts_on, Contract.ends_on, Contract.status,
                        Contract.ikz, Contract.procurement_method)
                 .join(supplier, Contract.supplier_id == supplier.id)
                 .order_by(Contract.signed_on, Contract.number))
    if signed_from:
        statement = statement.where(Contract.signed_on >= signed_from)
    if signed_to:
        statement = statement.where(Contract.signed_on <= signed_to)
    if status:
        statement = statement.where(Contract.status == status)
    if kind:
        statement = statement.where(Contract.kind == kind)
    if supplier_id:
        statement = statement.where(Contract.supplier_id == supplier_id)
    return [ContractLine(*row[:10], days_to_end=(row.ends_on - today).days if row.ends_on else None,
                         ikz=row.ikz, procurement_method=row.procurement_method)
            for row in session.execute(statement)]
