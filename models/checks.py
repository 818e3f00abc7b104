"""Format and checksum checks for Russian identifiers, used by forms and imports.

Every check takes a string, strips surrounding whitespace, and returns the
normalised value or raises `CheckError`. The message is a lazy translatable
string that names the problem, not the field: the caller prefixes the field
label ("ИНН: неверная контрольная сумма").
"""
import re

from flask_babel import lazy_gettext as _l
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ru import inn as stdnum_inn


class CheckError(ValueError):
    """A value failed a check; `message` (also `args[0]`) is a lazy string."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _clean(value):
    return (value or "").strip()


def _digits(value, sizes, message):
    if not value.isascii() or not value.isdigit() or len(value) not in sizes:
        raise CheckError(message)
    return value


def check_inn(value):
    """ИНН: 10 digits (legal entity) or 12 digits (individual) with valid check digits."""
    value = _digits(_clean(value), (10, 12), _l("must be 10 or 12 digits"))
    try:
        stdnum_inn.validate(value)
    except StdnumError:
        raise CheckError(_l("invalid checksum")) from None
    return value


_KPP = re.compile(r"\d{4}[0-9A-Z]{2}\d{3}")


def check_kpp(value):
    """КПП: 9 characters — 4 digits, 2 digits or capital Latin letters, 3 digits."""
    value = _clean(value)
    if not _KPP.fullmatch(value):
        raise CheckError(_l("must be 9 characters: 4 digits, 2 digits or letters, 3 digits"))
    return value


def check_ogrn(value):
    """ОГРН: 13 digits, last = (first 12 % 11) % 10; ОГРНИП: 15 digits, last = (first 14 % 13) % 10."""
    value = _digits(_clean(value), (13, 15), _l("must be 13 or 15 digits"))
    modulus = 11 if len(value) == 13 else 13
    if int(value[:-1]) % modulus % 10 != int(value[-1]):
        raise CheckError(_l("invalid checksum"))
    return value


def check_bik(value):
    """БИК: 9 digits starting with "04"."""
    value = _clean(value)
    if not re.fullmatch(r"04\d{7}", value):
        raise CheckError(_l("must be 9 digits starting with 04"))
    return value


_ACCOUNT_WEIGHTS = (7, 1, 3) * 8


def check_account(account, bik):
    """Bank account: 20 digits whose control key matches the BIK (Bank of Russia algorithm).

    Key string = 3-digit prefix + account; the sum of (digit * weight 7,1,3,...) mod 10
    over it must end in 0. Prefix = last 3 digits of the BIK, or "0" + BIK digits 5–6
    for a correspondent account (30101…) and for accounts at an RKC (BIK ends in 000).
    """
    account = _digits(_clean(account), (20,), _l("must be 20 digits"))
    try:
        bik = check_bik(bik)
    except CheckError:
        raise CheckError(_l("cannot be checked without a valid BIK")) from None
    if account.startswith("30101") or bik[6:] == "000":
        prefix = "0" + bik[4:6]
    else:
        prefix = bik[6:]
    total = sum(int(d) * w % 10 for d, w in zip(prefix + account, _ACCOUNT_WEIGHTS))
    if total % 10:
        raise CheckError(_l("control key does not match the BIK"))
    return account


_PLATE_LETTERS = "АВЕКМНОРСТУХ"
_LATIN_TO_CYRILLIC = str.maketrans("ABEKMHOPCTYX", _PLATE_LETTERS)
_PLATE = re.compile(rf"[{_PLATE_LETTERS}](\d{{3}})[{_PLATE_LETTERS}]{{2}}\d{{2,3}}")


def normalise_plate(value):
    """Registration plate: drop spaces, upper-case, Latin look-alikes → Cyrillic (no validation)."""
    return re.sub(r"\s+", "", _clean(value)).upper().translate(_LATIN_TO_CYRILLIC)


def check_plate(value):
    """Registration plate А123ВС77 / А123ВС777: letters АВЕКМНОРСТУХ only, number not 000."""
    value = normalise_plate(value)
    match = _PLATE.fullmatch(value)
    if not match:
        raise CheckError(_l("must look like А123ВС77 or А123ВС777"))
    if match.group(1) == "000":
        raise CheckError(_l("number 000 is not issued"))
    return value


# Russian keyboard layout: Cyrillic letters typed instead of their Latin twins.
_CYRILLIC_TO_LATIN = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")


def check_vin(value):
    """VIN: 17 characters A–Z and 0–9 except I, O, Q; upper-cased (no check digit: RU/EU VINs lack it)."""
    value = _clean(value).upper().translate(_CYRILLIC_TO_LATIN)
    if len(value) != 17:
        raise CheckError(_l("must be 17 characters"))
    if not re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", value):
        raise CheckError(_l("only Latin letters and digits, no I, O or Q"))
    return value


def check_cadastral_number(value):
    """Cadastral number: NN:NN:NNNNNN(N):N… (district:area:quarter:plot)."""
    value = _clean(value)
    if not re.fullmatch(r"\d{2}:\d{2}:\d{6,7}:\d+", value):
        raise CheckError(_l("must look like 66:41:0204016:10"))
    return value


def check_ikz(value):
    """ИКЗ (identification code of a procurement): 36 digits."""
    return _digits(_clean(value), (36,), _l("must be 36 digits"))


def check_okof(value):
    """ОКОФ (ОК 013-2014) code: 320.26.20.11.110 — NNN.NN, up to two more .NN, optional .NNN."""
    value = _clean(value)
    if not re.fullmatch(r"\d{3}\.\d{2}(\.\d{2}){0,2}(\.\d{3})?", value):
        raise CheckError(_l("must look like 320.26.20.11.110"))
    return value


def check_fuel_card_number(value):
    """Fuel card number: 13–19 digits; spaces are removed."""
    value = re.sub(r"\s+", "", _clean(value))
    return _digits(value, range(13, 20), _l("must be 13 to 19 digits"))


def mask_card_number(value):
    """Not a check: "•••• 1234" (last 4 digits) for lists; "" when there are no digits."""
    digits = re.sub(r"\D", "", value or "")
    return f"•••• {digits[-4:]}" if digits else ""


def check_phone(value):
    """Russian phone number as +7XXXXXXXXXX: 11 digits starting 7 or 8 (the trunk prefix 8 becomes +7);
    spaces, brackets and dashes dropped (Российская система и план нумерации, приказ Минцифры № 113)."""
    digits = re.sub(r"[\s()\-+]", "", _clean(value))
    if not digits.isascii() or not digits.isdigit() or len(digits) != 11 or digits[0] not in "78":
        raise CheckError(_l("must be 11 digits: +7 and the 10-digit number"))
    return "+7" + digits[1:]
