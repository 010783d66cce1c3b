"""Tier commissions on the period's totals.

The attainment (revenue for attainment ÷ quota, in %) places the period on the tiers;
the standard pool (the rows no override or new-business rule took) earns:

* **marginal**: each tier's rate on the part of the period inside it, like tax
  brackets. The bands are cut on the revenue for attainment; the pool's commissionable
  amount is spread over them in the same proportions (on the revenue basis, with no
  overrides, the band's commissionable amount is the revenue inside it);
* **retroactive**: the reached tier's rate on the whole pool;
* **linear**: the rate interpolated between the start of the reached tier and the
  start of the next (the last tier's rate above the last start; 0 % attainment and
  below: the first tier's rate).

Everything is exact (:class:`fractions.Fraction`); the caller rounds once per pool.
"""

from fractions import Fraction

from .explain import text


def reached(tiers, attainment):
    """The tier ``attainment`` falls in (the first one below 0 %)."""
    ordered = sorted(tiers, key=lambda tier: tier.start)
    inside = [tier for tier in ordered if attainment >= tier.start]
    return inside[-1] if inside else ordered[0]


def linear_rate(tiers, attainment):
    ordered = sorted(tiers, key=lambda tier: tier.start)
    tier = reached(ordered, attainment)
    following = [t for t in ordered if t.start > tier.start]
    if not following or attainment <= tier.start:
        return Fraction(tier.rate)
    nxt = following[0]
    share = (Fraction(attainment) - Fraction(tier.start)) / (
        Fraction(nxt.start) - Fraction(tier.start)
    )
    return Fraction(tier.rate) + (Fraction(nxt.rate) - Fraction(tier.rate)) * share


def marginal_bands(tiers, revenue, quota):
    """``[(tier, revenue inside it)]`` for the period's revenue for attainment."""
    revenue, quota = Fraction(revenue), Fraction(quota)
    bands = []
    for tier in sorted(tiers, key=lambda t: t.start):
        low = quota * Fraction(tier.start) / 100
        high = revenue if tier.end is None else quota * Fraction(tier.end) / 100
        bands.append((tier, max(Fraction(0), min(revenue, high) - low)))
    return bands


def standard_pool(mode, tiers, base, revenue, quota, attainment):
    """The tier commission of the standard pool, exact.

    :param base: the pool's commissionable amount
    :param revenue: the period's revenue for attainment
    :return: ``(rate in %, [(tier, base inside it, exact amount)], why)``; the rate
        times ``base`` is the sum of the bands' amounts
    """
    base = Fraction(base)
    if mode == "marginal":
        revenue = Fraction(revenue)
        scale = base / revenue if revenue > 0 else Fraction(0)
        bands = marginal_bands(tiers, revenue, quota)
        lines = [
            (tier, inside * scale, inside * scale * Fraction(tier.rate) / 100)
            for tier, inside in bands
        ]
        weighted = sum((inside * Fraction(tier.rate) for tier, inside in bands), Fraction(0))
        rate = weighted / revenue if revenue > 0 else Fraction(0)
        return rate, lines, {"mode": "marginal"}
    tier = reached(tiers, attainment)
    if mode == "retroactive":
        rate = Fraction(tier.rate)
        lines = [
            (t, base if t is tier else Fraction(0), base * rate / 100 if t is tier else Fraction(0))
            for t in sorted(tiers, key=lambda t: t.start)
        ]
        return rate, lines, {"mode": "retroactive", "tier_from": text(tier.start)}
    rate = linear_rate(tiers, attainment)
    band = type(tier)(tier.start, tier.end, rate)
    return (
        rate,
        [(band, base, base * rate / 100)],
        {"mode": "linear", "tier_from": text(tier.start)},
    )
