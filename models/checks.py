"""Format and checksum checks for Russian identifiers, used by forms and imports.

Every check takes a string, strips surrounding whitespace, and returns the
normalised value or raises `CheckError`. The message is a lazy translatable
string that names the problem, not the field: the caller prefixes the field
label ("ИНН: неверная контрольная сумма").

Digits are ASCII digits only: full-width «１２», Arabic-Indic «١٢» or superscript «²» digits pass
Python's ``str.isdigit`` and a regex's digit class but are not digits of any Russian identifier. An identifier of
zeros only passes most checksums (0 ≡ 0) and is never issued: it is refused everywhere.
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
    if not value.strip("0"):
        raise CheckError(_l("all zeros is never issued"))
    return value


def check_inn(value):
    """ИНН: 10 digits (legal entity) or 12 digits (individual) with valid check digits.

    The first four digits are the code of the tax office that assigned it (Порядок и условия присвоения
    ИНН, приказ ФНС России от 29.06.2012 № ММВ-7-6/435@): it starts with a region code, never «00».
    """
    value = _digits(_clean(value), (10, 12), _l("must be 10 or 12 digits"))
    if value.startswith("00"):
        raise CheckError(_l("no region has the code 00"))
    try:
        stdnum_inn.validate(value)
    except StdnumError:
        raise CheckError(_l("invalid checksum")) from None
    return value


_KPP = re.compile(r"[0-9]{4}[0-9A-Z]{2}[0-9]{3}")


def check_kpp(value):
    """КПП: 9 characters — 4 digits (the tax office), 2 digits or capital Latin letters (the reason), 3 digits.

    Приказ ФНС России от 29.06.2012 № ММВ-7-6/435@: the tax office code is never «0000».
    """
    value = _clean(value)
    if not _KPP.fullmatch(value):
        raise CheckError(_l("must be 9 characters: 4 digits, 2 digits or letters, 3 digits"))
    if value.startswith("0000"):
        raise CheckError(_l("no tax office has the code 0000"))
    return value


def check_ogrn(value):
    """ОГРН: 13 digits, last = (first 12 % 11) % 10; ОГРНИП: 15 digits, last = (first 14 % 13) % 10.

    The first digit says what the number is (Правила ведения ЕГРЮЛ, постановление Правительства РФ от
    19.06.2002 № 438; Правила ведения ЕГРИП, постановление от 16.10.2003 № 630): 1 or 5 for an ОГРН,
    3 for an ОГРНИП; 2, 4, 6–9 start the numbers of later records (ГРН), not of the entity.
    """
    value = _digits(_clean(value), (13, 15), _l("must be 13 or 15 digits"))
    if (len(value) == 13 and value[0] not in "15") or (len(value) == 15 and value[0] != "3"):
        raise CheckError(_l("an ОГРН starts with 1 or 5, an ОГРНИП with 3"))
    modulus = 11 if len(value) == 13 else 13
    if int(value[:-1]) % modulus % 10 != int(value[-1]):
        raise CheckError(_l("invalid checksum"))
    return value


def check_bik(value):
    """БИК: 9 digits — «04» for a bank, «00» or «01» for a Treasury office (ТОФК).

    Since 2021 the Treasury's offices hold budget money on treasury accounts and have БИКs of their
    own starting with 00 or 01 (e.g. 004525988 УФК по г. Москве, 017003983 УФК по Тульской области),
    published in the Bank of Russia's БИК directory beside the banks' 04….
    """
    value = _clean(value)
    if not re.fullmatch(r"0[014][0-9]{7}", value):
        raise CheckError(_l("must be 9 digits starting with 04 (a bank) or 00, 01 (a Treasury office)"))
    return value


def is_treasury_bik(bik: str) -> bool:
    return bik[:2] in ("00", "01")


_ACCOUNT_WEIGHTS = (7, 1, 3) * 8


def check_account(account, bik):
    """Bank account: 20 digits whose control key matches the BIK (Bank of Russia algorithm).

    Key string = 3-digit prefix + account; the sum of (digit * weight 7,1,3,...) mod 10
    over it must end in 0 (Порядок расчета контрольного ключа в номере лицевого счета, Банк России
    08.09.1997 № 515). Prefix = last 3 digits of the BIK, or "0" + BIK digits 5–6 for a correspondent
    account (30101…) and for accounts at an RKC (BIK ends in 000).

    At a Treasury office (БИК 00…/01…): the single treasury account (ЕКС, 40102…) is an account at the
    Bank of Russia and is keyed like an RKC's, "0" + BIK digits 5–6 (checked on published requisites:
    40102810545370000003 with 004525988, 40102810445370000059 with 017003983). A treasury account
    (03…) carries no key: its digits are 03 + the account type, the currency 643, the budget's ОКТМО
    (zeros for the federal budget) and the Treasury office's code (Порядок казначейского
    обслуживания, приказ Казначейства России от 14.05.2020 № 21н), so only that shape is checked.
    No authoritative text of the treasury structure was found in the stored corpus; the examples in
    tests/test_checks.py are published requisites.
    """
    account = _digits(_clean(account), (20,), _l("must be 20 digits"))
    try:
        bik = check_bik(bik)
    except CheckError:
        raise CheckError(_l("cannot be checked without a valid BIK")) from None
    if is_treasury_bik(bik):
        if account.startswith("03"):
            if account[5:8] != "643":
                raise CheckError(_l("a treasury account has the currency code 643 in digits 6–8"))
            return account
        if not account.startswith("40102"):
            raise CheckError(_l("at a Treasury office only treasury accounts (03…) and the single treasury "
                                "account (40102…) are opened"))
    elif account.startswith("03"):
        raise CheckError(_l("a treasury account (03…) needs the Treasury office's BIK (00… or 01…)"))
    if account.startswith("30101") or bik[6:] == "000" or is_treasury_bik(bik):
        prefix = "0" + bik[4:6]
    else:
        prefix = bik[6:]
    total = sum(int(d) * w % 10 for d, w in zip(prefix + account, _ACCOUNT_WEIGHTS))
    if total % 10:
        raise CheckError(_l("control key does not match the BIK"))
    return account


_PLATE_LETTERS = "АВЕКМНОРСТУХ"
_LATIN_TO_CYRILLIC = str.maketrans("ABEKMHOPCTYX", _PLATE_LETTERS)
_L = f"[{_PLATE_LETTERS}]"
# Region codes: 01–99, and three-digit codes starting 1, 2, 7 or 9 (177, 750, 977…); never 00.
_REGION = r"(?:0[1-9]|[1-9][0-9]|[1279][0-9]{2})"
# The series of ГОСТ Р 50577-2018 «Знаки государственные регистрационные транспортных средств» in use
# on an institution's vehicles (type: layout → number digits).
_PLATES = [
    re.compile(rf"{_L}(?P<n>[0-9]{{3}}){_L}{{2}}{_REGION}"),  # тип 1: cars, lorries, buses — А123ВС77
    re.compile(rf"{_L}{{2}}(?P<n>[0-9]{{3}}){_REGION}"),  # тип 1Б: taxis and route buses — АВ12377
    re.compile(rf"{_L}{{2}}(?P<n>[0-9]{{4}}){_REGION}"),  # тип 2: trailers and semi-trailers — АВ123477
    re.compile(rf"(?P<n>[0-9]{{4}}){_L}{{2}}{_REGION}"),  # тип 3, 4: tractors, motorcycles — 1234АВ77
    re.compile(rf"{_L}(?P<n>[0-9]{{4}}){_REGION}"),  # тип 20: police vehicles — А123477
]


def normalise_plate(value):
    """Registration plate: drop spaces, upper-case, Latin look-alikes → Cyrillic (no validation)."""
    return re.sub(r"\s+", "", _clean(value)).upper().translate(_LATIN_TO_CYRILLIC)


def check_plate(value):
    """Registration plate in one of the series of ГОСТ Р 50577-2018 (types 1, 1Б, 2, 3/4, 20).

    Letters are the twelve that read alike in Cyrillic and Latin (АВЕКМНОРСТУХ); the region is 01–99
    or a three-digit code; a number of zeros only (000, 0000) is not issued.
    """
    value = normalise_plate(value)
    match = next((m for m in (p.fullmatch(value) for p in _PLATES) if m), None)
    if not match:
        raise CheckError(_l("must look like А123ВС77, АВ123477 (trailer) or 1234АВ77 (motorcycle)"))
    if not match.group("n").strip("0"):
        raise CheckError(_l("a number of zeros only is not issued"))
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
    if not re.fullmatch(r"[0-9]{2}:[0-9]{2}:[0-9]{6,7}:[0-9]+", value):
        raise CheckError(_l("must look like 66:41:0204016:10"))
    return value


def check_ikz(value):
    """ИКЗ (identification code of a procurement): 36 digits."""
    return _digits(_clean(value), (36,), _l("must be 36 digits"))


def check_okof(value):
    """ОКОФ (ОК 013-2014) code: 320.26.20.11.110 — NNN.NN, up to two more .NN, optional .NNN."""
    value = _clean(value)
    if not re.fullmatch(r"[0-9]{3}\.[0-9]{2}(\.[0-9]{2}){0,2}(\.[0-9]{3})?", value):
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
