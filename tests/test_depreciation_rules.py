import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

# `.venv/bin/pytest` does not put the project root on sys.path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.depreciation_rules import (  # noqa: E402
    OFF_BALANCE_LIMIT,
    Band,
    accrual_for_month,
    accumulated_at,
    band,
    is_off_balance,
    monthly_amount,
    months_in_service,
    residual_at,
)

COMMISSIONED = date(2024, 3, 15)


def months(start: date, count: int):
    """First days of `count` consecutive months starting with month(start)."""
    idx = start.year * 12 + start.month - 1
    return [date((idx + i) // 12, (idx + i) % 12 + 1, 1) for i in range(count)]


# --- bands / thresholds ---------------------------------------------------

@pytest.mark.parametrize(
    "value, expected",
    [
        ("0.01", Band.OFF_BALANCE),
        ("10000.00", Band.OFF_BALANCE),
        ("10000.01", Band.FULL_ON_COMMISSIONING),
        ("100000.00", Band.FULL_ON_COMMISSIONING),
        ("100000.01", Band.STRAIGHT_LINE),
    ],
)
def test_band_thresholds(value, expected):
    assert band(D(value)) is expected
    assert band(D(value)) == expected.value


def test_off_balance_limit_and_predicate():
    assert OFF_BALANCE_LIMIT == D("10000.00")
    assert is_off_balance(D("10000.00"))
    assert not is_off_balance(D("10000.01"))


def test_off_balance_never_depreciates():
    for at in (COMMISSIONED, date(2030, 1, 1)):
        acc = accumulated_at(D("10000.00"), COMMISSIONED, 60, at)
        assert acc == D("0.00") and isinstance(acc, D)
        assert residual_at(D("10000.00"), COMMISSIONED, 60, at) == D("10000.00")
    assert accrual_for_month(D("10000.00"), COMMISSIONED, 60, COMMISSIONED) == 0


@pytest.mark.parametrize("value", ["10000.01", "100000.00"])
def test_full_depreciation_on_commissioning_date(value):
    v = D(value)
    assert accumulated_at(v, COMMISSIONED, None, date(2024, 3, 14)) == D("0.00")
    assert accumulated_at(v, COMMISSIONED, None, COMMISSIONED) == v
    assert accumulated_at(v, COMMISSIONED, None, date(2029, 1, 1)) == v
    assert residual_at(v, COMMISSIONED, None, COMMISSIONED) == D("0.00")
    assert accrual_for_month(v, COMMISSIONED, None, date(2024, 3, 1)) == v
    assert accrual_for_month(v, COMMISSIONED, None, date(2024, 2, 29)) == 0
    assert accrual_for_month(v, COMMISSIONED, None, date(2024, 4, 1)) == 0


def test_threshold_100000_01_is_straight_line():
    v = D("100000.01")
    assert accumulated_at(v, COMMISSIONED, 3, COMMISSIONED) == D("0.00")
    assert accumulated_at(v, COMMISSIONED, 3, date(2024, 4, 1)) == D("33333.34")


def test_not_commissioned_is_zero():
    for v in ("5000.00", "50000.00", "500000.00"):
        assert accumulated_at(D(v), None, 60, date(2030, 1, 1)) == D("0.00")
        assert residual_at(D(v), None, 60, date(2030, 1, 1)) == D(v)


def test_missing_useful_life_straight_line_accrues_nothing():
    for life in (None, 0, -5):
        assert accumulated_at(D("500000.00"), COMMISSIONED, life, date(2030, 1, 1)) == 0
        assert monthly_amount(D("500000.00"), life) == D("0.00")


def test_float_rejected():
    with pytest.raises(TypeError):
        accumulated_at(150000.0, COMMISSIONED, 60, date(2025, 1, 1))


# --- straight line --------------------------------------------------------

def test_first_accrual_is_month_after_commissioning():
    v, life = D("120000.00"), 12
    assert accrual_for_month(v, COMMISSIONED, life, date(2024, 3, 31)) == D("0.00")
    assert accrual_for_month(v, COMMISSIONED, life, date(2024, 4, 30)) == D("10000.00")
    assert accumulated_at(v, COMMISSIONED, life, date(2024, 3, 31)) == D("0.00")
    assert accumulated_at(v, COMMISSIONED, life, date(2024, 4, 1)) == D("10000.00")


def test_months_in_service():
    assert months_in_service(None, date(2024, 5, 1)) == 0
    assert months_in_service(COMMISSIONED, date(2024, 1, 1)) == 0
    assert months_in_service(COMMISSIONED, date(2024, 3, 31)) == 0
    assert months_in_service(COMMISSIONED, date(2024, 4, 1)) == 1
    assert months_in_service(COMMISSIONED, date(2025, 3, 1)) == 12


def test_last_month_takes_remainder():
    v, life = D("100000.01"), 3
    assert monthly_amount(v, life) == D("33333.34")
    posted = [accrual_for_month(v, COMMISSIONED, life, m) for m in months(date(2024, 4, 1), 4)]
    assert posted == [D("33333.34"), D("33333.34"), D("33333.33"), D("0.00")]
    assert sum(posted) == v
    assert residual_at(v, COMMISSIONED, life, date(2024, 6, 30)) == D("0.00")


def test_mid_life():
    v, c, life, at = D("360000.00"), date(2023, 1, 10), 60, date(2024, 6, 30)
    assert months_in_service(c, at) == 17
    assert accumulated_at(v, c, life, at) == D("102000.00")
    assert residual_at(v, c, life, at) == D("258000.00")


def test_never_exceeds_book_value_after_life():
    v, life = D("100000.01"), 3
    for at in (date(2024, 6, 1), date(2024, 7, 1), date(2050, 12, 31)):
        assert accumulated_at(v, COMMISSIONED, life, at) == v
        assert residual_at(v, COMMISSIONED, life, at) == D("0.00")
    assert accrual_for_month(v, COMMISSIONED, life, date(2050, 12, 1)) == D("0.00")


@pytest.mark.parametrize(
    "value, life",
    [("123456.78", 37), ("100000.01", 7), ("999999.99", 121), ("100001.00", 1), ("250000.05", 360)],
)
def test_sum_over_life_equals_book_value(value, life):
    v = D(value)
    c = date(2023, 11, 30)
    posted = [accrual_for_month(v, c, life, m) for m in months(c, life + 3)]
    assert all(p >= 0 and p.as_tuple().exponent == -2 for p in posted)
    assert posted[0] == D("0.00")  # commissioning month
    assert sum(posted) == v
    assert posted[life] != 0 and all(p == 0 for p in posted[life + 1:])
