"""Flask-Admin views: registering them on the app is all this package exposes."""
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from extensions import TRANSLATIONS, csp_nonce, login_manager
from models import (Asset, AssetCategory, Building, ChangeLogEntry, Commission, Contract, Department, Employee, FuelCard,
                    Institution, Reversal, Room, Supplier, Transfer, User, Vehicle, WriteOffAct, db)

from .assets import AssetView
from .changelog import ChangeLogView
from .auth import LoginView, LogoutView, load_user
from .contracts import ContractView, SupplierView
from .dashboard import DashboardView
from .documents import CommissionView, InstitutionView, ReversalView
from .fleet import (FleetSettingsView, FuelMonthView, FuelNormView, FuelTransactionView, FuelWriteOffView,
                    TransportRequestView, WaybillView)
from .org import AssetCategoryView, DepartmentView, EmployeeView
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


def init_admin(app) -> Admin:
    login_manager.user_loader(load_user)
    login_manager.login_view = "login.index"
    admin = Admin(
        app,
        name=_l("Khozchast"),
        theme=Bootstrap4Theme(base_template="admin/khozchast_base.html", fluid=True),
        index_view=DashboardView(name=_l("Home"), url="/admin"),
        translations_path=str(TRANSLATIONS),
        csp_nonce_generator=csp_nonce,
    )
    admin.add_view(AssetView(Asset, db, category=PROPERTY, endpoint="asset"))
    admin.add_view(WriteOffActView(WriteOffAct, db, category=PROPERTY, endpoint="writeoffact"))
    admin.add_view(TransferView(Transfer, db, category=PROPERTY, endpoint="transfer"))
    admin.add_view(ReversalView(Reversal, db, category=PROPERTY, endpoint="reversal"))
    admin.add_view(CommissionView(Commission, db, category=PROPERTY, endpoint="commission"))
    admin.add_view(VehicleView(Vehicle, db, category=TRANSPORT, endpoint="vehicle"))
    admin.add_view(FuelCardView(FuelCard, db, category=TRANSPORT, endpoint="fuelcard"))
    add_fleet_views(admin, TRANSPORT)
    admin.add_view(ContractView(Contract, db, category=CONTRACTS, endpoint="contract"))
    admin.add_view(SupplierView(Supplier, db, category=CONTRACTS, endpoint="supplier"))
    admin.add_view(BuildingView(Building, db, category=PREMISES, endpoint="building"))
    admin.add_view(RoomView(Room, db, category=PREMISES, endpoint="room"))
    admin.add_view(DepartmentView(Department, db, category=REFERENCE, endpoint="department"))
    admin.add_view(EmployeeView(Employee, db, category=REFERENCE, endpoint="employee"))
    admin.add_view(AssetCategoryView(AssetCategory, db, category=REFERENCE, endpoint="assetcategory"))
    admin.add_view(InventoryListView(name=_l("Inventory list"), category=REPORTS, endpoint="report_inventory",
                                     url="/admin/reports/inventory"))
    admin.add_view(ResponsibleAssetsView(name=_l("Assets of responsible persons"), category=REPORTS,
                                         endpoint="report_responsible", url="/admin/reports/responsible"))
    admin.add_view(ContractsRegisterView(name=_l("Contracts register"), category=REPORTS,
                                         endpoint="report_contracts", url="/admin/reports/contracts"))
    admin.add_view(InstitutionView(Institution, db, category=ADMINISTRATION, endpoint="institution",
                                   name=_l("Institution settings")))
    admin.add_view(UserView(User, db, category=ADMINISTRATION, endpoint="user"))
    admin.add_view(ChangeLogView(ChangeLogEntry, db, category=ADMINISTRATION, endpoint="changelog"))
    admin.add_view(UndoView(name=_l("Undo batch"), endpoint="undo", url="/admin/undo"))
    admin.add_view(LoginView(name=_l("Log in"), endpoint="login", url="/admin/login"))
    admin.add_view(LogoutView(name=_l("Log out"), endpoint="logout", url="/admin/logout"))
    return admin


def add_fleet_views(admin, category):
    """Requests, waybills, norms, statements, the fuel month and its act (admin_views/fleet.py)."""
    from models import (FleetSettings, FuelMonth, FuelNorm, FuelTransaction, FuelWriteOff, TransportRequest,
                        Waybill)

    admin.add_view(TransportRequestView(TransportRequest, db, category=category, endpoint="transportrequest"))
    admin.add_view(WaybillView(Waybill, db, category=category, endpoint="waybill"))
    admin.add_view(FuelTransactionView(FuelTransaction, db, category=category, endpoint="fueltransaction"))
    admin.add_view(FuelMonthView(FuelMonth, db, category=category, endpoint="fuelmonth"))
    admin.add_view(FuelWriteOffView(FuelWriteOff, db, category=category, endpoint="fuelwriteoff"))
    admin.add_view(FuelNormView(FuelNorm, db, category=category, endpoint="fuelnorm"))
    admin.add_view(FleetSettingsView(FleetSettings, db, category=category, endpoint="fleetsettings"))
