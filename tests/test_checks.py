import sys
from pathlib import Path

import pytest
from flask_babel.speaklater import LazyString

# `.venv/bin/pytest` does not put the project root on sys.path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.checks import (  # noqa: E402
    CheckError,
    check_account,
    check_bik,
    check_cadastral_number,
    check_fuel_card_number,
    check_ikz,
    check_inn,
    check_kpp,
    check_ogrn,
    check_okof,
    check_plate,
    check_vin,
    mask_card_number,
    normalise_plate,
)


def error_of(check, *args):
    with pytest.raises(CheckError) as info:
        check(*args)
    return str(info.value)


# --- CheckError ---------------------------------------------------------------


def test_check_error_is_value_error_with_lazy_message():
    with pytest.raises(ValueError) as info:
        check_inn("7707083894")
    assert isinstance(info.value, CheckError)
    assert isinstance(info.value.args[0], LazyString)
    assert info.value.message is info.value.args[0]
    # flask-babel 4 falls back to the msgid outside an app context.
    assert str(info.value) == "invalid checksum"


# --- ИНН -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "7707083893",  # ПАО Сбербанк
        "7736207543",  # ООО «Яндекс»
        "500100732259",  # individual, 12 digits
    ],
)
def test_inn_valid(value):
    assert check_inn(value) == value


def test_inn_strips_whitespace():
    assert check_inn("  7707083893\n") == "7707083893"


@pytest.mark.parametrize("value", ["7707083894", "7736207553", "500100732258", "500100732269"])
def test_inn_near_miss(value):
    assert error_of(check_inn, value) == "invalid checksum"


@pytest.mark.parametrize("value", ["", "770708389", "77070838930", "770708389X", "7707 083893", "７７０７０８３８９３",
                                   "٧٧٠٧٠٨٣٨٩٣", "77070838９3", "7707083²93"])
def test_inn_wrong_shape(value):
    assert error_of(check_inn, value) == "must be 10 or 12 digits"


@pytest.mark.parametrize("check,value", [(check_inn, "0000000000"), (check_inn, "000000000000"),
                                         (check_ogrn, "0000000000000"), (check_ogrn, "000000000000000"),
                                         (check_fuel_card_number, "0000000000000"), (check_ikz, "0" * 36)])
def test_all_zeros_refused(check, value):
    assert error_of(check, value) == "all zeros is never issued"


def test_inn_region_00_refused():
    assert error_of(check_inn, "0012345679") == "no region has the code 00"


def test_kpp_all_zero_refused():
    assert error_of(check_kpp, "000000000") == "no tax office has the code 0000"
    assert "9 characters" in error_of(check_kpp, "7736０1001")


@pytest.mark.parametrize("value", ["2027700132195", "4027700132195", "504770200000080"])  # record numbers (ГРН)
def test_ogrn_first_digit(value):
    assert error_of(check_ogrn, value) == "an ОГРН starts with 1 or 5, an ОГРНИП with 3"


# --- КПП -----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["773601001", "7736AB001", " 7736ZZ999 "])
def test_kpp_valid(value):
    assert check_kpp(value) == value.strip()


@pytest.mark.parametrize("value", ["77360100", "7736010011", "7736ab001", "773A01001", "7736010A1", "7736АВ001"])
def test_kpp_invalid(value):
    assert "9 characters" in error_of(check_kpp, value)


# --- ОГРН / ОГРНИП ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "1027700132195",  # ПАО Сбербанк
        "304770200000080",  # ОГРНИП: 30477020000008 % 13 % 10 == 0
    ],
)
def test_ogrn_valid(value):
    assert check_ogrn(value) == value


@pytest.mark.parametrize("value", ["1027700132194", "1027700132295", "304770200000081", "304770200000180"])
def test_ogrn_near_miss(value):
    assert error_of(check_ogrn, value) == "invalid checksum"


@pytest.mark.parametrize("value", ["102770013219", "10277001321950", "3047702000000800", "10277OO132195"])
def test_ogrn_wrong_shape(value):
    assert error_of(check_ogrn, value) == "must be 13 or 15 digits"


# --- БИК ----------------------------------------------------------------------


def test_bik_valid():
    assert check_bik(" 044525225 ") == "044525225"


@pytest.mark.parametrize("value", ["144525225", "04452522", "0445252250", "04452522X", "024501901", "044５25225"])
def test_bik_invalid(value):
    assert error_of(check_bik, value) == "must be 9 digits starting with 04 (a bank) or 00, 01 (a Treasury office)"


@pytest.mark.parametrize("value", ["004525988", "017003983"])  # УФК по г. Москве, УФК по Тульской области
def test_treasury_bik_valid(value):
    assert check_bik(value) == value


# Published payment requisites of Treasury offices: the single treasury account (ЕКС) and a treasury account.
TREASURY = [
    ("40102810545370000003", "004525988"),  # ЕКС, ГУ Банка России по ЦФО//УФК по г. Москве
    ("03100643000000017300", "004525988"),  # казначейский счёт for federal revenue, same office
    ("40102810445370000059", "017003983"),  # ЕКС, Отделение Тула//УФК по Тульской области
    ("03100643000000016600", "017003983"),
]


@pytest.mark.parametrize("account,bik", TREASURY)
def test_treasury_accounts_valid(account, bik):
    assert check_account(account, bik) == account


def test_single_treasury_account_is_keyed():
    assert error_of(check_account, "40102810545370000004", "004525988") == "control key does not match the BIK"


def test_treasury_account_shape():
    assert "643" in error_of(check_account, "03100810000000017300", "004525988")
    assert "only treasury accounts" in error_of(check_account, "40702810038000017240", "004525988")
    assert "Treasury office" in error_of(check_account, "03100643000000017300", "044525225")


# --- Bank accounts ----------------------------------------------------------------

VALID_ACCOUNTS = [
    # Correspondent accounts: key prefix is "0" + BIK digits 5–6.
    ("30101810400000000225", "044525225"),  # ПАО Сбербанк
    ("30101810000000000805", "049205805"),  # ПАО «АК БАРС» БАНК
    ("30101810700000000815", "044525815"),  # Евразийский банк развития
    ("30101810800000000746", "049805000"),  # Bank of Russia worked example (RKC BIK ending 000)
    # Settlement accounts: key prefix is the last 3 digits of the BIK.
    ("40702810038000017240", "044525225"),  # ПАО Сбербанк, widely published
    ("40817810156003706312", "044525225"),  # published test example of the key check
    ("40702810900000000025", "044514512"),  # Bank of Russia worked example (key 9)
]


@pytest.mark.parametrize("account,bik", VALID_ACCOUNTS)
def test_account_valid(account, bik):
    assert check_account(f" {account} ", bik) == account


@pytest.mark.parametrize(
    "account,bik",
    [
        ("30101810400000000226", "044525225"),
        ("30101810500000000225", "044525225"),
        ("40702810038000017241", "044525225"),
        ("40702810138000017240", "044525225"),
        ("40702810900000000035", "044514512"),
        ("30101810900000000746", "049805000"),
        # the right account with another bank's BIK
        ("40702810038000017240", "044525593"),
    ],
)
def test_account_near_miss(account, bik):
    assert error_of(check_account, account, bik) == "control key does not match the BIK"


@pytest.mark.parametrize("account", ["4070281003800001724", "407028100380000172400", "4070281003800001724O"])
def test_account_wrong_shape(account):
    assert error_of(check_account, account, "044525225") == "must be 20 digits"


def test_account_needs_valid_bik():
    assert error_of(check_account, "40702810038000017240", "44525225") == "cannot be checked without a valid BIK"


# --- Registration plates -------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("А123ВС77", "А123ВС77"),
        ("а123вс77", "А123ВС77"),
        ("a123bc777", "А123ВС777"),  # Latin look-alikes
        ("A123BC777", "А123ВС777"),
        (" Х 001 ТУ 174 ", "Х001ТУ174"),
        ("M123OP199", "М123ОР199"),
        ("Е999КН02", "Е999КН02"),
    ],
)
def test_plate_valid(raw, expected):
    assert check_plate(raw) == expected


def test_normalise_plate_does_not_validate():
    assert normalise_plate(" б 123 bc 77") == "Б123ВС77"


@pytest.mark.parametrize(
    "value",
    [
        "Б123ВС77",  # Б is not used on plates
        "А123ВД77",
        "D123BC77",  # Latin letter without a Cyrillic twin
        "А12ВС77",
        "А1234ВС77",
        "А123В77",
        "А123ВС7",
        "А123ВС7777",
        "123ВС77",
    ],
)
def test_plate_invalid(value):
    assert error_of(check_plate, value) == "must look like А123ВС77, АВ123477 (trailer) or 1234АВ77 (motorcycle)"


@pytest.mark.parametrize("raw,expected", [
    ("АВ 1234 77", "АВ123477"),  # тип 2: a trailer
    ("ax123474", "АХ123474"),
    ("1234 АВ 77", "1234АВ77"),  # тип 3/4: a motorcycle or a tractor
    ("7123 ВК 174", "7123ВК174"),
    ("АВ 123 77", "АВ12377"),  # тип 1Б: a taxi or route bus
    ("А 1234 77", "А123477"),  # тип 20: police
    ("А123ВС977", "А123ВС977"),
])
def test_plate_other_series(raw, expected):
    assert check_plate(raw) == expected


@pytest.mark.parametrize("value", ["А000ВС77", "АВ000077", "0000АВ77", "АВ00077"])
def test_plate_number_of_zeros(value):
    assert error_of(check_plate, value) == "a number of zeros only is not issued"


@pytest.mark.parametrize("value", ["А123ВС00", "А123ВС000", "А123ВС477"])
def test_plate_region_00(value):
    assert error_of(check_plate, value).startswith("must look like")


# --- VIN -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("XTA21099043456789", "XTA21099043456789"),
        ("xta21099043456789", "XTA21099043456789"),
        (" XTA21099043456789 ", "XTA21099043456789"),
        ("ХТА21099043456789", "XTA21099043456789"),  # Cyrillic Х, Т, А typed on a Russian layout
        ("WVWZZZ1JZXW000001", "WVWZZZ1JZXW000001"),
    ],
)
def test_vin_valid(raw, expected):
    assert check_vin(raw) == expected


@pytest.mark.parametrize("value", ["XTA2109904345678O", "XTA21099043456I89", "XTAQ1099043456789", "XTA2109904345678-"])
def test_vin_bad_characters(value):
    assert error_of(check_vin, value) == "only Latin letters and digits, no I, O or Q"


@pytest.mark.parametrize("value", ["XTA2109904345678", "XTA210990434567890", ""])
def test_vin_wrong_length(value):
    assert error_of(check_vin, value) == "must be 17 characters"


# --- Cadastral number ------------------------------------------------------------


@pytest.mark.parametrize("value", ["66:41:0204016:10", "77:01:000401:1", " 50:20:0010336:1234 "])
def test_cadastral_valid(value):
    assert check_cadastral_number(value) == value.strip()


@pytest.mark.parametrize("value", ["66:41:020401:", "66-41-0204016-10", "6:41:0204016:10", "66:41:02040166:10", "66:41:0204016"])
def test_cadastral_invalid(value):
    assert error_of(check_cadastral_number, value) == "must look like 66:41:0204016:10"


# --- ИКЗ -------------------------------------------------------------------------

IKZ = "242770708389377360100100010010000244"


def test_ikz_valid():
    assert len(IKZ) == 36
    assert check_ikz(f" {IKZ} ") == IKZ


@pytest.mark.parametrize("value", [IKZ[:-1], IKZ + "0", IKZ[:-1] + "X"])
def test_ikz_invalid(value):
    assert error_of(check_ikz, value) == "must be 36 digits"


# --- ОКОФ ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["320.26.20.11.110", "320.26.20.11", "320.26.20", "320.26", "310.29.10.24.000", "210.00.00.00.000"],
)
def test_okof_valid(value):
    assert check_okof(value) == value


@pytest.mark.parametrize("value", ["320", "320.2", "32.26.20", "320.26.20.11.11", "320.26.20.11.110.1", "320,26,20"])
def test_okof_invalid(value):
    assert error_of(check_okof, value) == "must look like 320.26.20.11.110"


# --- Fuel cards ------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("7824 8612 3456 7890", "7824861234567890"),
        ("1234567890123", "1234567890123"),
        ("1234567890123456789", "1234567890123456789"),
    ],
)
def test_fuel_card_valid(raw, expected):
    assert check_fuel_card_number(raw) == expected


@pytest.mark.parametrize("value", ["123456789012", "12345678901234567890", "7824-8612-3456-7890", "7824 8612 3456 789X"])
def test_fuel_card_invalid(value):
    assert error_of(check_fuel_card_number, value) == "must be 13 to 19 digits"


def test_mask_card_number():
    assert mask_card_number("7824 8612 3456 7890") == "•••• 7890"
    assert mask_card_number("7824861234567890") == "•••• 7890"
    assert mask_card_number("") == ""
    assert mask_card_number(None) == ""
