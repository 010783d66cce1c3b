"""Rounding and the largest-remainder allocation, in units of the currency.

The rule (also for credit notes and totals of zero):

* every line's exact share ``s`` (any sign) is floored to the unit below it
  (``floor(-0.335) = -0.34``); the floors add up to at most the total;
* the units the floors miss, ``total - sum(floors)``, go one each to the lines with
  the largest remainders ``s - floor(s)``; equal remainders go to the smaller key;
* so every line is its share floored or plus one unit: within one unit of its share,
  and the lines add up to the total exactly. A period whose invoices and credit notes
  cancel (total 0) gives +x and -x lines that add up to 0.

``total`` is the exact sum of the shares rounded half away from zero, so the units
missing are between 0 and the number of lines.
"""

from decimal import ROUND_HALF_UP
from decimal import Decimal
from fractions import Fraction
from math import floor

ONE = Decimal(1)


def to_units(amount, rounding):
    """``amount`` (exact, any sign) in units of ``rounding``, rounded half away from zero."""
    units = Fraction(amount) / Fraction(rounding)
    magnitude = floor(abs(units) + Fraction(1, 2))
    return magnitude if units >= 0 else -magnitude


def from_units(units, rounding):
    return Decimal(units) * rounding


def round_amount(amount, rounding):
    """``amount`` rounded to the currency, half away from zero (Odoo's HALF-UP)."""
    return from_units(to_units(amount, rounding), rounding)


def allocate(total_units, shares):
    """Split ``total_units`` over ``shares`` (``[(key, exact share in units)]``).

    :return: ``{key: units}``, adding up to ``total_units``
    :raise ValueError: when ``total_units`` is not the rounded sum of the shares
    """
    floors = {key: floor(share) for key, share in shares}
    missing = total_units - sum(floors.values())
    if not 0 <= missing <= len(floors):
        raise ValueError(f"{total_units} units cannot be allocated over these shares")
    by_remainder = sorted(shares, key=lambda item: (floors[item[0]] - item[1], item[0]))
    for key, _share in by_remainder[:missing]:
        floors[key] += 1
    return floors


def decimal_units(amount, rounding):
    """A Decimal ``amount`` in whole units of ``rounding``, half away from zero."""
    return int((Decimal(amount) / rounding).quantize(ONE, rounding=ROUND_HALF_UP))


def round_ratio(numerator, denominator):
    """``numerator / denominator`` (integers, ``denominator > 0``) rounded half away
    from zero."""
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return magnitude if numerator >= 0 else -magnitude


def allocate_ratio(total_units, shares, denominator):
    """:func:`allocate` in integers: each share is ``numerator / denominator`` units
    (``[(key, numerator)]``), so floors and remainders are exact and fast."""
    floors = {key: numerator // denominator for key, numerator in shares}
    missing = total_units - sum(floors.values())
    if not 0 <= missing <= len(floors):
        raise ValueError(f"{total_units} units cannot be allocated over these shares")
    if missing:
        by_remainder = sorted(shares, key=lambda item: (-(item[1] % denominator), item[0]))
        for key, _share in by_remainder[:missing]:
            floors[key] += 1
    return floors
