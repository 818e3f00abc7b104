"""Small factories: each makes one valid record with sensible defaults; pass fields to override."""
import itertools
from datetime import date
from decimal import Decimal

from models.phones import SimCard
from models import (Asset, AssetCategory, AssetStatus, Building, Contract, ContractKind, ContractStatus, Department,
                    Employee, FuelCard, FuelType, ProcurementMethod, PropertyKind, Room, Supplier, Vehicle)

_seq = itertools.count(1)


def _n():
    return next(_seq)


def _save(session, obj):
    session.add(obj)
    session.flush()
    return obj


def department(session, **kw):
    n = _n()
    return _save(session, Department(**{"name": f"Отдел {n}", "code": f"D{n}", **kw}))


def employee(session, **kw):
    n = _n()
    return _save(session, Employee(**{"full_name": f"Иванов Иван {n}", "position": "Специалист",
                                      "personnel_number": f"{n:06d}", "is_responsible": True, **kw}))


def category(session, **kw):
    n = _n()
    return _save(session, AssetCategory(**{"name": f"Компьютеры {n}", "okof_code": "320.26.20.11.110",
                                           "balance_account": "101.34", "property_kind": PropertyKind.other_movable,
                                           "default_useful_life_months": 36, **kw}))


def building(session, **kw):
    n = _n()
    return _save(session, Building(**{"name": f"Здание {n}", "address": f"ул. Ленина, {n}", **kw}))


def room(session, **kw):
    if "building" not in kw:
        kw["building"] = building(session)
    return _save(session, Room(**{"number": str(100 + _n()), "floor": 1, **kw}))


# Real ИНН with valid checksums, cycled so each supplier is unique.
_INNS = itertools.cycle(["7707083893", "7736207543", "7728168971", "7702070139", "7710140679"])


def supplier(session, **kw):
    n = _n()
    return _save(session, Supplier(**{"full_name": f"ООО «Поставщик {n}»", "short_name": f"Поставщик {n}",
                                      "inn": next(_INNS), "kpp": f"77{n:07d}"[:9], **kw}))


def contract(session, **kw):
    n = _n()
    if "supplier" not in kw:
        kw["supplier"] = supplier(session)
    return _save(session, Contract(**{"number": f"К-{n}", "signed_on": date(2026, 1, 15), "subject": "Поставка",
                                      "kind": ContractKind.supply, "procurement_method": ProcurementMethod.auction,
                                      "amount": Decimal("100000.00"), "status": ContractStatus.active, **kw}))


def asset(session, **kw):
    n = _n()
    if "category" not in kw:
        kw["category"] = category(session)
    return _save(session, Asset(**{"inventory_number": f"ИН-{n:06d}", "name": f"Компьютер {n}",
                                   "book_value": Decimal("55000.00"), "depreciation": Decimal("0.00"),
                                   "status": AssetStatus.in_use, "commissioned_on": date(2024, 3, 15),
                                   "useful_life_months": 36, **kw}))


def vehicle(session, **kw):
    n = _n()
    return _save(session, Vehicle(**{"plate": f"А{n % 1000:03d}ВС77" if n % 1000 else "А001ВС77", "make": "LADA",
                                     "model": "Granta", "fuel_type": FuelType.ai92, **kw}))


def fuel_card(session, **kw):
    n = _n()
    if "provider" not in kw:
        kw["provider"] = supplier(session)
    return _save(session, FuelCard(**{"number": f"{7000000000000000 + n}", "fuel_type": FuelType.ai92, **kw}))


def commission(session, chair=None, members=None, **kw):
    """A commission of a chair and two members with its appointing order."""
    from models import Commission

    chair = chair or employee(session, position="Заместитель начальника")
    members = members if members is not None else [employee(session), employee(session)]
    return _save(session, Commission(**{"name": "Комиссия по поступлению и выбытию активов", "order_number": "15-од",
                                        "order_date": date(2026, 1, 12), "chair": chair, "members": list(members),
                                        **kw}))


def institution(session, **kw):
    """The settings row, with a head (and their position) and a chief accountant."""
    from models import FormFamily, Institution

    head = kw.pop("head", None) or employee(session, full_name="Сидоров Пётр Ильич", position="Директор")
    chief = kw.pop("chief_accountant", None) or employee(session, full_name="Орлова Нина Павловна",
                                                         position="Главный бухгалтер")
    return _save(session, Institution(**{
        "full_name": "ГКУ «Хозяйственное управление»", "short_name": "ГКУ ХОЗУ", "okpo": "12345678",
        "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195", "oktmo": "45382000",
        "registry_code": "00112233", "budget_name": "Бюджет города Москвы", "founder_name": "Департамент финансов",
        "founder_code": "901", "address": "г. Москва, ул. Примерная, д. 1", "phone": "+7 495 000-00-00",
        "head": head, "chief_accountant": chief, "form_family": FormFamily.f52n, **kw}))


def sim_card(session, **kw):
    n = _n()
    if "operator" not in kw:
        kw["operator"] = supplier(session)
    if "holder" not in kw:
        kw["holder"] = employee(session)
    return _save(session, SimCard(**{"phone": f"+7912{n:07d}", "tariff": "Корпоративный",
                                     "monthly_limit": Decimal("500.00"), **kw}))


# One factory per registered entity: the registry-driven tests (smoke, rule × path, export, import) read these.
def transport_request(session, **kw):
    """A request for a trip on 10.03.2026 9:00–12:00; assigned when given a vehicle and a driver."""
    from datetime import time

    from models import RequestStatus, TransportRequest

    n = _n()
    kw = {k: v(session) if callable(v) and not isinstance(v, type) else v  # INVALID's overrides make records
          for k, v in kw.items()}
    if "requester" not in kw and "requester_id" not in kw:
        kw["requester"] = employee(session)
    status = RequestStatus.assigned if kw.get("vehicle") or kw.get("vehicle_id") else RequestStatus.new
    return _save(session, TransportRequest(**{"number": f"З-{n}", "trip_date": date(2026, 3, 10),
                                              "starts_at": time(9), "ends_at": time(12), "route": "Офис — Минфин",
                                              "purpose": "Документы", "status": status, **kw}))


def fit_vehicle(session, **kw):
    """A vehicle fit for the line: in service, ОСАГО and diagnostic card valid through 2027."""
    return vehicle(session, **{"tank_capacity": 50, "odometer_km": 10000, "osago_expires_on": date(2027, 6, 30),
                               "diagnostic_expires_on": date(2027, 6, 30), **kw})


def licensed_driver(session, **kw):
    return employee(session, **{"is_driver": True, "licence_number": f"77 00 {_n():06d}",
                                "licence_expires_on": date(2030, 1, 1), **kw})


def waybill(session, **kw):
    """An open waybill of 02.03.2026 (numbered here; the panel numbers through the document engine)."""
    from datetime import datetime

    from models import Waybill, WaybillStatus

    n = _n()
    if "vehicle" not in kw:
        kw["vehicle"] = fit_vehicle(session)
    if "driver" not in kw:
        kw["driver"] = licensed_driver(session)
    return _save(session, Waybill(**{"year": 2026, "number": 1000 + n, "status": WaybillStatus.draft,
                                     "valid_from": date(2026, 3, 2), "valid_to": date(2026, 3, 2),
                                     "departure_at": datetime(2026, 3, 2, 8), "odometer_out": 10000,
                                     "fuel_out": Decimal("20.00"), "fuel_received": Decimal("0.00"), **kw}))


def _clashing_start(record):
    """The record's vehicle already booked 9:00–12:00 by another request: starting at 11:00 double-books it."""
    from datetime import time

    from models import db

    transport_request(db.session, vehicle_id=record.vehicle_id, driver=licensed_driver(db.session),
                      trip_date=record.trip_date, starts_at=time(9), ends_at=time(12))
    db.session.commit()
    return time(11)


FACTORIES = {Department: department, Employee: employee, AssetCategory: category, Building: building, Room: room,
             Supplier: supplier, Contract: contract, Asset: asset, Vehicle: vehicle, FuelCard: fuel_card,
             SimCard: sim_card}


def _fleet_factories():
    from models import TransportRequest, Waybill

    return {TransportRequest: transport_request, Waybill: waybill}


FACTORIES.update(_fleet_factories())

# Per entity: (record overrides, the change that breaks a rule — a value may be a function of the record —,
# the field it concerns). The rule × path test
# makes the record, tries the change on every write path that may set that field, and expects one message.
INVALID = {
    Department: [({}, {"parent_id": lambda record: record.id}, "parent_id")],
    Employee: [({}, {"licence_expires_on": date(2027, 1, 1), "licence_number": None}, "licence_number")],
    AssetCategory: [({}, {"balance_account": "abc"}, "balance_account"),
                    ({}, {"default_useful_life_months": -5}, "default_useful_life_months")],
    Building: [({}, {"total_area": Decimal("-1.00")}, "total_area")],
    Room: [({}, {"area": Decimal("-1.00")}, "area")],
    Supplier: [({}, {"inn": "7707083894"}, "inn")],
    Contract: [({"starts_on": date(2026, 2, 1)}, {"ends_on": date(2026, 1, 1)}, "ends_on")],
    Asset: [({"accepted_on": date(2024, 3, 1)}, {"commissioned_on": date(2024, 2, 1)}, "commissioned_on"),
            ({}, {"year_made": 2099}, "year_made"),
            ({}, {"depreciation": Decimal("60000.00")}, "depreciation"),
            ({"status": AssetStatus.written_off}, {"notes": "правка"}, "status")],
    Vehicle: [({"registered_on": date(2024, 5, 1)}, {"deregistered_on": date(2024, 4, 1)}, "deregistered_on")],
    FuelCard: [({}, {"monthly_limit_l": -10}, "monthly_limit_l")],
    SimCard: [({}, {"phone": "+7 912 123"}, "phone"), ({}, {"monthly_limit": Decimal("-1.00")}, "monthly_limit"),
              ({}, {"holder_id": None}, "holder_id")],
}


def _fleet_invalid():
    from datetime import time

    from models import TransportRequest, Waybill

    return {
        TransportRequest: [({}, {"ends_at": time(8, 0)}, "ends_at"),
                           ({"vehicle": fit_vehicle, "driver": licensed_driver, "starts_at": time(13),
                             "ends_at": time(15)}, {"starts_at": _clashing_start}, "vehicle_id")],
        Waybill: [({}, {"odometer_in": 5}, "odometer_in")],
    }


INVALID.update(_fleet_invalid())
