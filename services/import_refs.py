"""References as a clerk writes them («Иванов Иван Иванович», «Главный корпус / 101», an ИНН),
resolved against lookups loaded once per import: no query per row."""
import re
from abc import ABC, abstractmethod
from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from models import Asset, AssetCategory, Building, Contract, Department, Employee, Room, Supplier, Vehicle
from models.checks import normalise_plate
from models.registry import display_sql

from .import_values import CellError, CellWarning, normalise, text, to_date


class Resolver(ABC):
    """Maps what a clerk writes to a record id; ``display(id)`` is how the record is written back."""

    def __init__(self, session):
        self.names: dict[int, str] = {}
        self.index: dict[str, set[int]] = defaultdict(set)
        self.load(session)
        self._cache: dict[str, int] = {}

    def add(self, record_id, display, *keys):
        self.names[record_id] = display
        for key in keys:
            if key not in (None, ""):
                self.index[normalise(key)].add(record_id)

    @abstractmethod
    def load(self, session):
        """Read the table once: ``add(id, display, *keys)`` for every record."""

    def display(self, record_id):
        return None if record_id is None else self.names.get(record_id, f"#{record_id}")

    def __call__(self, value) -> int:
        written = text(value)
        if written in self._cache:
            return self._cache[written]
        found = self.find(written)
        if len(found) > 1:
            raise CellError(self.ambiguous(written))
        if not found:
            raise CellError(self.unknown(written))
        self._cache[written] = result = next(iter(found))
        return result

    def find(self, written: str) -> set[int]:
        return self.index.get(normalise(written), set())

    def unknown(self, written):
        return _l("«%(value)s» is not found", value=written)

    def ambiguous(self, written):
        return _l("«%(value)s» matches several records", value=written)


class CategoryResolver(Resolver):
    def load(self, session):
        for i, name in session.execute(select(AssetCategory.id, AssetCategory.name)):
            self.add(i, name, name)

    def unknown(self, written):
        return _l("no asset category named «%(value)s»", value=written)


class EmployeeResolver(Resolver):
    """By personnel number or by full name (a name two people share needs the personnel number)."""

    def load(self, session):
        self.numbers = {}
        for i, name, number in session.execute(select(Employee.id, Employee.full_name, Employee.personnel_number)):
            self.add(i, name, name)
            if number:
                self.numbers[normalise(number)] = i

    def find(self, written):
        number = self.numbers.get(normalise(written))
        if number:
            return {number}
        found = super().find(written)
        if not found and written.isdigit():
            if not hasattr(self, "_stripped"):
                self._stripped = defaultdict(list)
                for key in self.numbers:
                    if key.isdigit() and key.startswith("0"):
                        self._stripped[key.lstrip("0")].append(key)
            padded = self._stripped.get(written.lstrip("0"), [])
            if len(padded) == 1:  # 123 from a number cell: the personnel number 000123
                raise CellWarning(self.numbers[padded[0]], _l(
                    "«%(value)s» lost its leading zeros; taken as the personnel number «%(key)s»",
                    value=written, key=padded[0]))
        return found

    def unknown(self, written):
        return _l("no employee with the name or personnel number «%(value)s»", value=written)

    def ambiguous(self, written):
        return _l("several employees are named «%(value)s»; write the personnel number instead", value=written)


class DepartmentResolver(Resolver):
    def load(self, session):
        self.codes = {}
        for i, name, code in session.execute(select(Department.id, Department.name, Department.code)):
            self.add(i, name, name)
            if code:
                self.codes[normalise(code)] = i

    def find(self, written):
        code = self.codes.get(normalise(written))
        return {code} if code else super().find(written)

    def unknown(self, written):
        return _l("no department with the name or code «%(value)s»", value=written)

    def ambiguous(self, written):
        return _l("several departments are named «%(value)s»; write the code instead", value=written)


class BuildingResolver(Resolver):
    def load(self, session):
        for i, name, cadastral in session.execute(select(Building.id, Building.name, Building.cadastral_number)):
            self.add(i, name, name, cadastral)

    def unknown(self, written):
        return _l("no building named «%(value)s»", value=written)


class RoomResolver(Resolver):
    """«building / room number», as rooms are shown everywhere."""

    def load(self, session):
        rows = session.execute(select(Room.id, Building.name, Room.number).join(Building, Room.building_id == Building.id))
        for i, building, number in rows:
            self.add(i, f"{building} / {number}", f"{building}/{number}")

    def find(self, written):
        building, slash, number = written.rpartition("/")
        if not slash:
            return set()
        return self.index.get(normalise(f"{building.strip()}/{number.strip()}"), set())

    def unknown(self, written):
        if "/" not in written:
            return _l("write the room as «building / number»: %(value)s", value=written)
        return _l("no room «%(value)s»", value=written)


class SupplierResolver(Resolver):
    """By ИНН (or «ИНН/КПП» where one ИНН has several КПП), or by a short name no one else has."""

    def load(self, session):
        self.by_inn = defaultdict(set)
        for i, short, inn, kpp in session.execute(
                select(Supplier.id, Supplier.short_name, Supplier.inn, Supplier.kpp)):
            self.add(i, short, short)
            self.by_inn[inn].add(i)
            if kpp:
                self.by_inn[f"{inn}/{kpp}"].add(i)

    def find(self, written):
        compact = re.sub(r"[\s/\\]+", "/", written.strip())
        if re.fullmatch(r"\d{10}(\d{2})?(/\w{9})?", compact):
            return self.by_inn.get(compact, set())
        return super().find(written)

    def unknown(self, written):
        return _l("no supplier with the INN or short name «%(value)s»", value=written)

    def ambiguous(self, written):
        return _l("several suppliers match «%(value)s»; write «INN/KPP»", value=written)


class ContractResolver(Resolver):
    """«number / dd.mm.yyyy», or the number alone when only one contract has it."""

    def load(self, session):
        for i, number, signed in session.execute(select(Contract.id, Contract.number, Contract.signed_on)):
            display = f"{number} / {signed:%d.%m.%Y}"
            self.add(i, display, f"{number}|{signed.isoformat()}", number)

    def find(self, written):
        number, slash, when = written.rpartition("/")
        if slash:
            try:
                signed = to_date(when.strip())
            except CellError:
                pass  # the slash belongs to the number («12/2024»)
            else:
                return self.index.get(normalise(f"{number.strip()}|{signed.isoformat()}"), set())
        return super().find(written)

    def unknown(self, written):
        return _l("no contract «%(value)s» (write «number / dd.mm.yyyy»)", value=written)

    def ambiguous(self, written):
        return _l("several contracts have the number «%(value)s»; write «number / dd.mm.yyyy»", value=written)


class VehicleResolver(Resolver):
    """By registration plate; «А123ВС77 LADA Granta» (how lists show a vehicle) works too."""

    def load(self, session):
        for i, plate, make, model in session.execute(select(Vehicle.id, Vehicle.plate, Vehicle.make, Vehicle.model)):
            self.add(i, f"{plate} {make} {model}", normalise_plate(plate))

    def find(self, written):
        return (self.index.get(normalise(normalise_plate(written)))
                or self.index.get(normalise(normalise_plate(written.split(" ")[0])), set()))

    def unknown(self, written):
        return _l("no vehicle with the plate «%(value)s»", value=written)


class AssetResolver(Resolver):
    """By inventory number; «ИН-000123 Name» (how lists show an asset) works too."""

    def load(self, session):
        for i, number, name in session.execute(select(Asset.id, Asset.inventory_number, Asset.name)):
            self.add(i, f"{number} {name}", number)

    def find(self, written):
        return super().find(written) or super().find(written.split(" ")[0])

    def unknown(self, written):
        return _l("no asset with the inventory number «%(value)s»", value=written)


def resolver_for(model) -> type[Resolver]:
    """The resolver of a model: a special one where clerks write it in several ways, else by its declared
    display expression and natural key (a new entity needs nothing here)."""
    if model in RESOLVERS:
        return RESOLVERS[model]

    class Declared(Resolver):
        def load(self, session):
            keys = [getattr(model, a) for a in getattr(model, "natural_key", ()) if not a.endswith("_id")]
            for i, shown, *values in session.execute(select(model.id, display_sql(model), *keys)):
                self.add(i, shown, shown, *values)

    RESOLVERS[model] = Declared
    return Declared


RESOLVERS = {AssetCategory: CategoryResolver, Employee: EmployeeResolver, Department: DepartmentResolver,
             Building: BuildingResolver, Room: RoomResolver, Supplier: SupplierResolver, Contract: ContractResolver,
             Vehicle: VehicleResolver, Asset: AssetResolver}
