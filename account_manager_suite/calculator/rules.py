"""The rules of a plan as small functions, applied in order.

**Rate rules** ``rule(row, context) -> Decision | None`` decide the rate of one row; the
first that returns a :class:`~.data.Decision` wins (``DEFAULT_RATE_RULES``: category
override → customer-tier override → new business → standard). A decision whose rate is
``None`` puts the row in the *standard pool*, whose commission the tiers (or the base
rate) give on the period's totals. Rows with the same rule and rate form a pool.

**Period rules** ``rule(context, total) -> [Line]`` add the period's own lines once the
pools are allocated (``DEFAULT_PERIOD_RULES``: quota bonuses, then the cap); ``total``
is the period's commission so far (held lines included).

An integrator adds a rule by passing another tuple to
:class:`~.engine.Calculator` (in the module: ``_prepare_rate_rules`` of
``account.manager.commission.line``).
"""

from .allocation import round_amount
from .data import ZERO
from .data import Decision
from .data import Line
from .explain import text


def category_override(row, context):
    """The most specific product-category override: the row's category, else its
    nearest parent with one."""
    rates = context.category_rates
    for depth, categ_id in enumerate(row.categ_path):
        if categ_id in rates:
            override = rates[categ_id]
            return Decision(
                "category",
                override.rate,
                {
                    "category_id": categ_id,
                    "category": override.label,
                    "inherited": depth > 0,
                },
            )
    return None


def customer_tier_override(row, context):
    """The customer's tier has a rate of its own in the plan."""
    override = context.customer_tier_rates.get(row.customer_tier)
    if override is None:
        return None
    return Decision(
        "customer_tier",
        override.rate,
        {"customer_tier_id": row.customer_tier, "customer_tier": override.label},
    )


def new_business(row, context):
    """A customer in its first months after the hand-over earns the new-business rate."""
    plan = context.plan
    if not plan.new_business_months or not row.new_business_until:
        return None
    if row.date >= row.new_business_until:
        return None
    return Decision(
        "new_business",
        plan.new_business_rate,
        {"until": row.new_business_until.isoformat(), "months": plan.new_business_months},
    )


def standard(row, context):
    """Everything else: the tiers on the period's totals, or the base rate (or, in a
    settled period, the rule and rate it was settled with)."""
    return Decision(context.standard_rule, context.standard_rate, {"standard": True})


DEFAULT_RATE_RULES = (category_override, customer_tier_override, new_business, standard)


def quota_bonuses(context, total):
    """Every bonus whose threshold the attainment reaches, once per period (one held
    with the same amount is not paid again)."""
    attainment = context.attainment
    if attainment is None:
        return []
    held = [h.amount for h in context.period.held if h.rule == "bonus"]
    lines = []
    for bonus in sorted(context.plan.bonuses, key=lambda b: (b.threshold, b.amount)):
        if attainment < bonus.threshold:
            continue
        if bonus.amount in held:
            held.remove(bonus.amount)
            continue
        amount = round_amount(bonus.amount, context.period.rounding)
        lines.append(
            Line(
                rule="bonus",
                rate=ZERO,
                base=round_amount(context.period.revenue_for_attainment, context.period.rounding),
                amount=amount,
                share=amount,
                explanation={
                    "rule": "bonus",
                    "threshold": text(bonus.threshold),
                    "attainment": context.attainment_text,
                    "amount": str(amount),
                },
            )
        )
    return lines


def period_cap(context, total):
    """The period pays at most the cap: the cut is a line of its own."""
    cap = context.plan.cap
    if not cap or total <= cap or any(h.rule == "cap" for h in context.period.held):
        return []
    amount = round_amount(cap - total, context.period.rounding)
    return [
        Line(
            rule="cap",
            rate=ZERO,
            base=total,
            amount=amount,
            share=amount,
            explanation={
                "rule": "cap",
                "cap": text(cap),
                "before_cap": str(total),
                "amount": str(amount),
            },
        )
    ]


DEFAULT_PERIOD_RULES = (quota_bonuses, period_cap)
