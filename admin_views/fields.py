"""Form fields and validators the way a Russian clerk types: «1 234,56», «01.02.2024», checked identifiers."""
from decimal import Decimal, InvalidOperation

from flask_babel import format_decimal, lazy_gettext as _l
from flask_admin.form.widgets import DatePickerWidget
from wtforms import DateField, DecimalField
from wtforms.widgets import TextInput
from wtforms.validators import ValidationError

from models.checks import CheckError


class MoneyField(DecimalField):
    """Rubles with a decimal comma and group spaces allowed."""

    # A text box: a browser's number box would blank out «23 000,00».
    widget = TextInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("places", 2)
        super().__init__(*args, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_decimal(self.data, "0.00") if self.data is not None else ""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].replace("\xa0", "").replace(" ", "").replace(",", ".")
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            self.data = None
            raise ValueError(_l("Not a valid amount: %(value)s", value=valuelist[0]))


class Checked:
    """Runs a check from ``models.checks`` on the field and keeps the normalised value."""

    def __init__(self, check):
        self.check = check

    def __call__(self, form, field):
        if field.data in (None, ""):
            return
        try:
            field.data = self.check(field.data)
        except CheckError as exc:
            raise ValidationError(f"{field.label.text}: {exc.message}")


class AccountMatchesBik:
    """A settlement account is checked together with the bank's BIK on the same form."""

    def __call__(self, form, field):
        from models.checks import check_account

        if not field.data:
            return
        try:
            field.data = check_account(field.data, form.bik.data or "")
        except CheckError as exc:
            raise ValidationError(f"{field.label.text}: {exc.message}")


class RussianDatePicker(DatePickerWidget):
    """Flask-Admin's date picker, showing and accepting dd.mm.yyyy."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("data-date-format", "DD.MM.YYYY")
        return super().__call__(field, **kwargs)


class RussianDateField(DateField):
    """Dates typed as 28.11.2026 (ISO 2026-11-28 still accepted)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%d.%m.%Y", "%Y-%m-%d"])
        kwargs.setdefault("widget", RussianDatePicker())
        super().__init__(*args, **kwargs)


def parse_amount(text) -> Decimal | None:
    """«1 234,56» as typed into a plain form box → Decimal; empty → None; ValueError if not a number."""
    text = (text or "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
