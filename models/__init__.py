"""The domain model. Importing this package registers every table on ``Base.metadata``."""
import importlib
import pkgutil

from .base import Base, Tracked, db, utcnow  # noqa: F401
from .types import LabeledEnum, Money  # noqa: F401
from .org import Department, Employee  # noqa: F401
from .premises import Building, Room, RightOfUse  # noqa: F401
from .contracts import Contract, ContractKind, ContractStatus, ProcurementMethod, Supplier  # noqa: F401
from .assets import LOCKED_STATUSES, Asset, AssetCategory, AssetStatus, PropertyKind  # noqa: F401
from .vehicles import FuelCard, FuelCardStatus, FuelType, Vehicle, VehicleStatus  # noqa: F401
from .accounts import FailedLogin, Language, Role, User  # noqa: F401
from .changelog import ChangeLogEntry  # noqa: F401
from .institution import FormFamily, Institution  # noqa: F401
from .documents import (Commission, Document, DocumentCounter, DocumentStatus, Reversal,  # noqa: F401
                        ReversalStatus)
from .transfers import Transfer, TransferLine  # noqa: F401
from .writeoffs import (WriteOffAct, WriteOffCost, WriteOffForm, WriteOffLine, WriteOffMaterial,  # noqa: F401
                        WriteOffReason, WriteOffStatus)
from .depreciation import DepreciationPosting  # noqa: F401
from .fleet import (CommunicationKind, FleetSettings, FuelMonth, FuelNorm, FuelSurcharge, FuelTransaction,  # noqa: F401
                    FuelWriteOff, FuelWriteOffLine, FuelWriteOffStatus, MonthStatus, RequestStatus, SurchargeKind,
                    TransportKind, TransportRequest, Waybill, WaybillStatus, WaybillTrip)
from .imports import ImportJob, ImportJobStatus, SavedMapping  # noqa: F401
from .tally import AssetTally  # noqa: F401
from .jobs import Job, JobStatus  # noqa: F401

# Every module of the package is imported, so a new model file registers its tables without a line here.
for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

from . import search as _search, tally as _tally  # noqa: E402
from .limits import range_checks  # noqa: E402

range_checks(Base.metadata)  # after every model's table is registered
_search.install_postgres_search(Base.metadata)
_tally.install_triggers(Base.metadata)
