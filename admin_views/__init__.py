"""Flask-Admin views: registering them on the app is all this package exposes."""
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from models.phones import SimCard
from extensions import TRANSLATIONS, csp_nonce, login_manager
from models import (Asset, AssetCategory, Building, ChangeLogEntry, Commission, Contract, Department, Employee, FleetSettings,
                    FuelCard, FuelMonth, FuelNorm, FuelTransaction, FuelWriteOff, Institution, Reversal, Room, Supplier,
                    Transfer, TransportRequest, User, Vehicle, Waybill, WriteOffAct, db)

from .assets import AssetView
from .changelog import ChangeLogView
from .auth import LoginView, LogoutView, load_user
from .contracts import ContractView, SupplierView
from .dashboard import DashboardView
from .documents import CommissionView, InstitutionView, ReversalView
from .errors import register_error_pages
from .fleet import (FleetSettingsView, FuelMonthView, FuelNormView, FuelTransactionView, FuelWriteOffView,
                    TransportRequestView, WaybillView)
from .jobs import DepreciationRunView, JobsView
from .org import AssetCategoryView, DepartmentView, EmployeeView
from .phones import SimCardView
from .premises import BuildingView, RoomView
from .reports import ContractsRegisterView, InventoryListView, ResponsibleAssetsView
from .transfers import TransferView
from .undo import UndoView
from .users import UserView
from .vehicles import FuelCardView, VehicleView
from .write_off import WriteOffActView

PROPERTY = _l("Property")
TRANSPORT = _l("Transport")
CONTRACTS = _l("Contracts")
PREMISES = _l("Buildings and rooms")
REFERENCE = _l("Reference data")
REPORTS = _l("Reports")
ADMINISTRATION = _l("Administration")

# Every model's list in the panel, in menu order: (view, model, menu, endpoint — the URL is /admin/<endpoint>/).
MODEL_VIEWS = [
    (AssetView, Asset, PROPERTY, "asset"),
    (WriteOffActView, WriteOffAct, PROPERTY, "writeoffact"),
    (TransferView, Transfer, PROPERTY, "transfer"),
    (ReversalView, Reversal, PROPERTY, "reversal"),
    (CommissionView, Commission, PROPERTY, "commission"),
    (VehicleView, Vehicle, TRANSPORT, "vehicle"),
    (FuelCardView, FuelCard, TRANSPORT, "fuelcard"),
    (TransportRequestView, TransportRequest, TRANSPORT, "transportrequest"),
    (WaybillView, Waybill, TRANSPORT, "waybill"),
    (FuelTransactionView, FuelTransaction, TRANSPORT, "fueltransaction"),
    (FuelMonthView, FuelMonth, TRANSPORT, "fuelmonth"),
    (FuelWriteOffView, FuelWriteOff, TRANSPORT, "fuelwriteoff"),
    (FuelNormView, FuelNorm, TRANSPORT, "fuelnorm"),
    (FleetSettingsView, FleetSettings, TRANSPORT, "fleetsettings"),
    (ContractView, Contract, CONTRACTS, "contract"),
    (SupplierView, Supplier, CONTRACTS, "supplier"),
    (SimCardView, SimCard, CONTRACTS, "simcard"),
    (BuildingView, Building, PREMISES, "building"),
    (RoomView, Room, PREMISES, "room"),
    (DepartmentView, Department, REFERENCE, "department"),
    (EmployeeView, Employee, REFERENCE, "employee"),
    (AssetCategoryView, AssetCategory, REFERENCE, "assetcategory"),
]
ADMINISTRATION_VIEWS = [
    (InstitutionView, Institution, ADMINISTRATION, "institution"),
    (UserView, User, ADMINISTRATION, "user"),
    (ChangeLogView, ChangeLogEntry, ADMINISTRATION, "changelog"),
]


def init_admin(app) -> Admin:
    login_manager.user_loader(load_user)
    login_manager.login_view = "login.index"
    register_error_pages(app)
    admin = Admin(
        app,
        name=_l("Khozchast"),
        theme=Bootstrap4Theme(base_template="admin/khozchast_base.html", fluid=True),
        index_view=DashboardView(name=_l("Home"), url="/admin"),
        translations_path=str(TRANSLATIONS),
        csp_nonce_generator=csp_nonce,
    )
    for view_class, model, category, endpoint in MODEL_VIEWS:
        admin.add_view(view_class(model, db, category=category, endpoint=endpoint))
    admin.add_view(InventoryListView(name=_l("Inventory list"), category=REPORTS, endpoint="report_inventory",
                                     url="/admin/reports/inventory"))
    admin.add_view(ResponsibleAssetsView(name=_l("Assets of responsible persons"), category=REPORTS,
                                         endpoint="report_responsible", url="/admin/reports/responsible"))
    admin.add_view(ContractsRegisterView(name=_l("Contracts register"), category=REPORTS,
                                         endpoint="report_contracts", url="/admin/reports/contracts"))
    for view_class, model, category, endpoint in ADMINISTRATION_VIEWS:
        admin.add_view(view_class(model, db, category=category, endpoint=endpoint))
    admin.add_view(UndoView(name=_l("Undo batch"), endpoint="undo", url="/admin/undo"))
    admin.add_view(JobsView(name=_l("My jobs"), endpoint="jobs", url="/admin/jobs"))
    admin.add_view(DepreciationRunView(name=_l("Post depreciation"), endpoint="depreciation_run",
                                       url="/admin/jobs/depreciation"))
    admin.add_view(LoginView(name=_l("Log in"), endpoint="login", url="/admin/login"))
    admin.add_view(LogoutView(name=_l("Log out"), endpoint="logout", url="/admin/logout"))
    return admin
