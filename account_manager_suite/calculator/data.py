"""What goes into the calculator and what comes out of it: frozen dataclasses only.

Amounts and rates are :class:`decimal.Decimal` (rates in percent, ``Decimal("2.5")`` is
2.5 %); dates are :class:`datetime.date`. Nothing here knows Odoo: the ids are opaque
integers the caller maps back to its records.
"""

from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import date
from decimal import Decimal

from .explain import describe
from .explain import text

ZERO = Decimal(0)


@dataclass(frozen=True)
class Row:
    """One commissionable row of the period: an invoice line (or its paid share).

    :param key: the invoice line's id; with ``date`` it orders the rows and breaks the
        ties of the allocation (what-if rows use keys below 1)
    :param categ_path: the product category and its parents, nearest first
    :param customer_tier: the customer's tier id, or ``None``
    :param revenue: signed (credit notes negative), in the company currency
    :param cost: signed like ``revenue``; used on the margin basis
    :param new_business_until: the row is new business when ``date`` is before it
    :param ref: whatever the caller wants back (e.g. the invoice id); not read
    """

    key: int
    date: date
    revenue: Decimal
    cost: Decimal = ZERO
    partner_id: int | None = None
    categ_path: tuple[int, ...] = ()
    customer_tier: int | None = None
    new_business_until: date | None = None
    ref: object = None


@dataclass(frozen=True)
class Tier:
    """A band of quota attainment: from ``start`` % to ``end`` % (``None``: open)."""

    start: Decimal
    end: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class Override:
    """A rate replacing the standard one for a product category or a customer tier."""

    key: int
    rate: Decimal
    label: str = ""


@dataclass(frozen=True)
class Bonus:
    """A fixed amount once per period when attainment reaches ``threshold`` %."""

    threshold: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Plan:
    """The rules of a commission plan.

    :param tier_mode: ``none`` (base rate), ``marginal``, ``retroactive`` or ``linear``
    :param amount_basis: ``revenue`` or ``margin`` (revenue minus cost)
    :param cap: the most a period pays, ``None`` or 0 for no cap
    """

    base_rate: Decimal = ZERO
    tier_mode: str = "none"
    tiers: tuple[Tier, ...] = ()
    category_overrides: tuple[Override, ...] = ()
    customer_tier_overrides: tuple[Override, ...] = ()
    new_business_rate: Decimal = ZERO
    new_business_months: int = 0
    amount_basis: str = "revenue"
    bonuses: tuple[Bonus, ...] = ()
    cap: Decimal | None = None
    name: str = ""


@dataclass(frozen=True)
class SettledRate:
    """The standard rule and rate a settled period was settled with: its corrections
    keep them instead of reaching another tier."""

    rule: str
    rate: Decimal


@dataclass(frozen=True)
class Held:
    """A line kept as it is (disputed): it counts towards the cap; a held bonus or cap
    is not paid a second time."""

    rule: str
    amount: Decimal


@dataclass(frozen=True)
class Period:
    """Everything the calculator needs for one manager and one period.

    :param quota: the period's target, ``None`` or 0 when there is none (no tiers, no
        bonuses then)
    :param attainment_revenue: the revenue that counts for attainment; ``None``: the sum
        of the rows' revenue
    :param rounding: the currency's smallest unit, ``Decimal("0.01")``
    :param settled: for a settled period, the standard rule and rate it was settled with
    :param period_rules: ``False`` for corrections: no bonus, no cap
    """

    plan: Plan
    rows: tuple[Row, ...] = ()
    quota: Decimal | None = None
    attainment_revenue: Decimal | None = None
    rounding: Decimal = Decimal("0.01")
    settled: SettledRate | None = None
    held: tuple[Held, ...] = ()
    period_rules: bool = True

    def with_rows(self, extra, revenue=None):
        """This period with ``extra`` rows more (a what-if); their revenue counts for
        attainment too, or ``revenue`` when given."""
        extra = tuple(extra)
        added = sum((row.revenue for row in extra), ZERO) if revenue is None else revenue
        return replace(
            self,
            rows=self.rows + extra,
            attainment_revenue=self.revenue_for_attainment + added,
        )

    @property
    def revenue_for_attainment(self):
        if self.attainment_revenue is not None:
            return self.attainment_revenue
        return sum((row.revenue for row in self.rows), ZERO)

    @property
    def attainment(self):
        """Attainment in percent (exact), ``None`` without a quota."""
        if not self.quota:
            return None
        return self.revenue_for_attainment * 100 / self.quota


@dataclass(frozen=True)
class Decision:
    """What a rate rule decided for a row: the rule's name, its rate (``None``: the
    standard rate of the period, base or tiers) and why, as plain data."""

    rule: str
    rate: Decimal | None
    why: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Band:
    """A line of the band table: the commissionable amount inside a tier and its
    commission (the amounts of a pool's bands add up to the pool's commission)."""

    start: Decimal
    end: Decimal | None
    rate: Decimal
    base: Decimal
    amount: Decimal

    def as_dict(self):
        return {
            "from": text(self.start),
            "to": text(self.end),
            "rate": text(self.rate),
            "base": str(self.base),
            "amount": str(self.amount),
        }


@dataclass(frozen=True)
class Pool:
    """The rows under one rule and rate: their commission is computed on their total.

    :param rate: the rate applied to ``base`` (the blended rate of the bands for
        marginal tiers, the interpolated one for linear tiers), exact
    """

    rule: str
    rate: Decimal
    base: Decimal
    amount: Decimal
    count: int
    bands: tuple[Band, ...] = ()
    why: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Line:
    """A commission line: a row's share of its pool, or a period line (bonus, cap).

    :param share: the line's exact proportional share, before the allocation (to
        six decimals)
    :param explanation: structured (JSON-serialisable) account of the amount; ``text``
        says it in words
    """

    rule: str
    rate: Decimal
    base: Decimal
    amount: Decimal
    share: Decimal
    explanation: dict
    row: Row | None = None

    @property
    def text(self):
        return describe(self.explanation)


@dataclass(frozen=True)
class Result:
    """The period's lines, pools and totals."""

    period: Period
    lines: tuple[Line, ...]
    pools: tuple[Pool, ...]
    attainment: Decimal | None

    @property
    def total(self):
        return sum((line.amount for line in self.lines), ZERO)

    def total_of(self, *rules):
        return sum((line.amount for line in self.lines if line.rule in rules), ZERO)

    @property
    def standard_pool(self):
        return next((pool for pool in self.pools if pool.why.get("standard")), None)
