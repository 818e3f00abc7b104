"""Users of the panel: administrators set roles, the active flag, the language and passwords.

The password hash is never shown or exported; a new password is typed into a write-only field and
hashed by services.accounts.set_password (the change log records it as ***). Users are disabled,
not deleted: the change log keeps pointing at its authors.
"""
from flask_babel import gettext, lazy_gettext as _l
from flask_login import current_user, login_user
from wtforms import PasswordField
from wtforms.validators import Length, Optional, ValidationError

from models import Employee, Role
from services.accounts import set_password

from . import pickers
from .base import SecuredModelView
from .permissions import ADMINS

MIN_PASSWORD = 8


class NewPasswordField(PasswordField):
    """Write-only: read by on_model_change and hashed there, never copied onto the record."""

    def populate_obj(self, obj, name):
        pass


class UserView(SecuredModelView):
    read_roles = write_roles = ADMINS
    allow_delete = False
    column_list = ("username", "full_name", "role", "language", "is_active", "employee", "updated_at")
    column_details_list = ("username", "full_name", "role", "language", "is_active", "employee", "created_at",
                           "updated_at")
    column_searchable_list = ("username", "full_name")
    column_sortable_list = ("username", "full_name", "role", "is_active")
    column_filters = ("role", "is_active", "language")
    column_default_sort = "username"
    form_columns = ("username", "full_name", "role", "language", "is_active", "employee", "new_password")
    form_extra_fields = {
        "new_password": NewPasswordField(_l("New password"), validators=[Optional(), Length(min=MIN_PASSWORD)],
                                      description=_l("Leave empty to keep the current password.")),
    }
    form_ajax_refs = {"employee": pickers.picker(Employee)}
    column_labels = {"new_password": _l("New password")}

    def on_model_change(self, form, model, is_created):
        password = form.new_password.data
        if is_created and not password:
            raise ValidationError(gettext("A new user needs a password."))
        if password:
            set_password(model, password)
        if not is_created and model.id == current_user.id and (model.role != Role.admin or not model.is_active):
            raise ValidationError(gettext("You cannot take away your own administrator rights or disable yourself."))
        super().on_model_change(form, model, is_created)

    def after_model_change(self, form, model, is_created):
        # A new password ends the user's sessions (models.accounts); the admin who set their own keeps this one.
        if not is_created and model.id == current_user.id:
            login_user(model)
        super().after_model_change(form, model, is_created)

