"""Form fields and validators the way a Russian clerk types: «1 234,56», «01.02.2024», checked identifiers.

Field-level parsing lives here, once for every form (model forms, inline edit, bulk edit, tools):
numbers are finite and fit their column, whole numbers are ASCII digits within the column's range,
dates fall in a plausible range, a picked record exists, text carries no control characters and
text of only spaces counts as empty.
"""
import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_admin.contrib.sqla.fields import QuerySelectField
from flask_admin.form.widgets import DatePickerWidget
from flask_admin.model.fields import AjaxSelectField
from flask_babel import format_decimal, gettext
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, ValidationError
from wtforms.widgets import TextInput

from models.checks import CheckError

from .ids import parse_id

# Dates a form, a filter or an import accepts: older or later ones are typing mistakes (01.01.0001).
MIN_YEAR = 1900
MAX_YEAR = 2100
INT_MAX = 2**31 - 1  # INTEGER columns on PostgreSQL

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
_WHOLE = re.compile(r"[+-]?[0-9]+")


def _squeeze(text: str) -> str:
    return text.replace("\xa0", "").replace("\u202f", "").replace(" ", "").replace("\t", "")


class NumberField(DecimalField):
    """A decimal number typed as «1 234,56» or «1234.56», finite and fitting NUMERIC(digits, places).

    ``float``-style input (NaN, Infinity, 1e309, 1e30) is refused: exponents are not how people type
    amounts, and such values either break the column or silently become NULL or inf.
    """

    widget = TextInput()  # a browser's number box would blank out «23 000,00»

    def __init__(self, label=None, validators=None, digits=15, places=2, minimum=None, maximum=None, **kwargs):
        kwargs.pop("use_locale", None)
        super().__init__(label, validators, places=places, **kwargs)
        self.digits, self.minimum, self.maximum = digits, minimum, maximum

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format_decimal(self.data, "0." + "0" * self.places) if self.places else str(self.data)

    def process_formdata(self, valuelist):
        if not valuelist or not (valuelist[0] or "").strip():
            self.data = None
            return
        text = _squeeze(valuelist[0])
        self.data = None
        if not _NUMBER.fullmatch(text):
            raise ValueError(gettext("Not a number: %(value)s", value=valuelist[0][:50]))
        number = Decimal(text.replace(",", "."))
        whole_digits = self.digits - (self.places or 0)
        # Before rounding: a number of hundreds of digits can't even be rounded (decimal's precision).
        if abs(number) >= Decimal(10) ** whole_digits:
            raise ValueError(gettext("Too large: at most %(digits)s digits before the decimal comma.", digits=whole_digits))
        if self.places is not None:
            number = number.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)
            if abs(number) >= Decimal(10) ** whole_digits:  # 99,999 rounded up to 100,00
                raise ValueError(gettext("Too large: at most %(digits)s digits before the decimal comma.",
                                         digits=whole_digits))
        if self.minimum is not None and number < self.minimum:
            raise ValueError(gettext("Must not be less than %(min)s.", min=self.minimum))
        if self.maximum is not None and number > self.maximum:
            raise ValueError(gettext("Must not be more than %(max)s.", max=self.maximum))
        self.data = number


class MoneyField(NumberField):
    """Rubles with a decimal comma and group spaces allowed: NUMERIC(15, 2)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("places", 2)
        kwargs.setdefault("digits", 15)
        super().__init__(*args, **kwargs)


class WholeNumberField(IntegerField):
    """ASCII digits only (``int()`` would take «١٢٣» and «1_000»), within the column's range."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, minimum=-INT_MAX, maximum=INT_MAX, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist):
        if not valuelist or not (valuelist[0] or "").strip():
            self.data = None
            return
        text = _squeeze(valuelist[0])
        self.data = None
        if not _WHOLE.fullmatch(text) or len(text) > 12:
            raise ValueError(gettext("Not a whole number: %(value)s", value=valuelist[0][:50]))
        number = int(text)
        if number < self.minimum:
            raise ValueError(gettext("Must not be less than %(min)s.", min=self.minimum))
        if number > self.maximum:
            raise ValueError(gettext("Must not be more than %(max)s.", max=self.maximum))
        self.data = number


class KnownRecord:
    """A relation picker that refuses an id it can't find, instead of silently storing «nothing»."""

    def process_formdata(self, valuelist):
        self._typed = valuelist[0] if valuelist else None
        if self._typed not in (None, "", "__None") and parse_id(self._typed) is None:
            self._data, self._formdata = None, None  # not an id at all: never handed to the database
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        typed = getattr(self, "_typed", None)
        if typed not in (None, "", "__None") and self.data is None:
            raise ValidationError(gettext("No such record (%(value)s); choose one from the list.", value=typed[:50]))
        super().pre_validate(form)


class PickerField(KnownRecord, AjaxSelectField):
    """Flask-Admin's search-as-you-type picker, refusing unknown ids."""


class RecordSelectField(KnownRecord, QuerySelectField):
    """Flask-Admin's drop-down of records, refusing unknown ids (a blank choice stays allowed)."""


# Text: control characters refused (tab and newline kept where a field is multi-line), outer spaces dropped.
def _bad_character(text: str, multiline: bool) -> str | None:
    for ch in text:
        if ch in "\t\n\r" and multiline:
            continue
        if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029":
            return ch
    return None


def text_filter(multiline: bool):
    def clean(value):
        if not isinstance(value, str):
            return value
        bad = _bad_character(value, multiline)
        if bad is not None:
            code = f"U+{ord(bad):04X}"
            raise ValueError(gettext("Contains a control character (code %(code)s); remove it.", code=code))
        return value.strip()
    return clean


class CleanTextMeta:
    """For every text field of a form: the text filter runs first, and «required» means «not blank»."""

    def bind_field(self, form, unbound_field, options):
        field_class = unbound_field.field_class
        if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
            kwargs = unbound_field.kwargs
            kwargs["filters"] = [text_filter(issubclass(field_class, TextAreaField))] + list(kwargs.get("filters") or ())
            validators = kwargs.get("validators")
            if validators:
                # InputRequired looks at what was typed, so «   » would pass: it is checked after the filter.
                kwargs["validators"] = [DataRequired(message=v.message) if type(v) is InputRequired else v
                                        for v in validators]
        return super().bind_field(form, unbound_field, options)


class CleanForm(FlaskForm):
    """FlaskForm (CSRF token) with the text rules above; every form of the panel derives from it."""

    class Meta(CleanTextMeta):
        pass


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
    """Dates typed as 28.11.2026 (ISO 2026-11-28 still accepted), within MIN_YEAR..MAX_YEAR."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%d.%m.%Y", "%Y-%m-%d"])
        kwargs.setdefault("widget", RussianDatePicker())
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and any(not ch.isascii() for ch in " ".join(v or "" for v in valuelist)):
            self.data = None
            raise ValueError(gettext("Not a valid date value."))
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        if isinstance(self.data, date) and not (MIN_YEAR <= self.data.year <= MAX_YEAR):
            raise ValidationError(gettext("A date between %(first)s and %(last)s, please.",
                                          first=MIN_YEAR, last=MAX_YEAR))


def parse_amount(text) -> Decimal | None:
    """«1 234,56» as typed into a plain form box → Decimal; empty → None; ValueError if not a number
    (NaN, Infinity and exponents included, as in NumberField)."""
    text = _squeeze(text or "")
    if not text:
        return None
    if not _NUMBER.fullmatch(text) or len(text) > 20:
        raise ValueError(text)
    return Decimal(text.replace(",", "."))
