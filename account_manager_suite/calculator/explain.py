"""How a line came about: a structured explanation (JSON-serialisable) and its words.

``describe(explanation, env, money)`` renders the words with ``env._(source, **params)``
and the amounts with ``money(value)``; the module passes its ``env`` (the words in the
reader's language) and ``odoo.tools.format_amount`` in the line's currency, the
calculator's own stand-ins only fill in the parameters and write amounts as ``1,234.50``.
"""

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction


def text(value):
    """A number as plain text without exponent or trailing zeros: ``"2.5"``, ``"100"``."""
    if value is None:
        return None
    if type(value) is Fraction:
        value = Decimal(value.numerator) / Decimal(value.denominator)
    elif type(value) is not Decimal:
        value = Decimal(value)
    return format(value.normalize(), "f")


def plain_money(value):
    """An amount for the words outside Odoo: ``"1,234.50"`` (the module passes
    ``format_amount`` instead, with the currency and the reader's separators)."""
    return f"{Decimal(value):,.2f}"


def pool_explanation(context, pool, standard):
    """What the lines of a pool share in their explanation (built once per pool)."""
    explanation = {
        "rate": text(pool.rate),
        "pool": {"base": str(pool.base), "amount": str(pool.amount), "lines": pool.count},
        "attainment": context.attainment_text,
    }
    if standard:
        explanation["settled"] = bool(context.period.settled)
        if pool.bands:
            explanation["mode"] = pool.why.get("mode")
            explanation["tier_from"] = pool.why.get("tier_from")
            explanation["bands"] = [band.as_dict() for band in pool.bands]
    return explanation


def line_explanation(common, decision, base, share, amount):
    """The structured explanation of a row's line."""
    why = decision.why
    if "standard" in why:
        why = {key: value for key, value in why.items() if key != "standard"}
    return {
        **common,
        "rule": decision.rule,
        "why": why,
        "base": str(base),
        "share": text(share),
        "amount": str(amount),
    }


def finish(line):
    """A period line (bonus, cap) with its amount in the explanation."""
    return replace(line, explanation={**line.explanation, "amount": str(line.amount)})


class PlainWords:
    """Stands in for ``env`` outside Odoo: the words in English."""

    @staticmethod
    def _(source, **params):
        return source % params if params else source


PLAIN = PlainWords()


def describe(explanation, env=PLAIN, money=plain_money):
    """The explanation in words a manager reads; ``env._`` translates them, ``money``
    writes the amounts (a ``Decimal`` or its text in, text out)."""
    if explanation.get("correction") or explanation.get("clawback"):
        return _describe_correction(explanation, env, money)
    rule = explanation.get("rule")
    if rule == "bonus":
        return env._(
            "Quota bonus: the attainment of %(attainment)s%% reached the threshold of "
            "%(threshold)s%%; %(amount)s once per period.",
            attainment=_pct(explanation.get("attainment")),
            threshold=explanation.get("threshold"),
            amount=money(explanation["amount"]),
        )
    if rule == "cap":
        return env._(
            "Cap of %(cap)s per period: the period's commission of %(total)s is cut by %(amount)s.",
            cap=money(explanation["cap"]),
            total=money(explanation["before_cap"]),
            amount=money(explanation["amount"]),
        )
    reason = _rate_reason(explanation, env, money)
    share = env._(
        "The period's %(pool_base)s under this rule earn %(pool_amount)s; this line's "
        "%(base)s has an exact share of %(share)s, %(amount)s to the cent.",
        pool_base=money(explanation["pool"]["base"]),
        pool_amount=money(explanation["pool"]["amount"]),
        base=money(explanation["base"]),
        share=explanation.get("share"),
        amount=money(explanation["amount"]),
    )
    return f"{reason} {share}"


def _rate_reason(explanation, env, money):
    """Why the line's rule and rate applied."""
    rule = explanation.get("rule")
    why = explanation.get("why") or {}
    rate = explanation.get("rate")
    if rule == "category":
        reason = env._(
            "Product category override of %(category)s: %(rate)s%%.",
            category=why.get("category") or why.get("category_id"),
            rate=rate,
        )
    elif rule == "customer_tier":
        reason = env._(
            "Customer tier override of %(tier)s: %(rate)s%%.",
            tier=why.get("customer_tier") or why.get("customer_tier_id"),
            rate=rate,
        )
    elif rule == "new_business":
        reason = env._(
            "New business (in the first %(months)s months after the hand-over, until "
            "%(until)s): %(rate)s%%.",
            months=why.get("months"),
            until=why.get("until"),
            rate=rate,
        )
    elif explanation.get("settled"):
        reason = env._(
            "The rate this settled period was settled with: %(rate)s%%.",
            rate=rate,
        )
    elif rule == "tier":
        reason = _tier_reason(explanation, env, money)
    else:
        reason = env._("Base rate of the plan: %(rate)s%%.", rate=rate)
    return reason


def _describe_correction(explanation, env, money):
    """Lines of the running period that correct a settled one (see
    ``account_manager_commission_line_correction.py``)."""
    if explanation.get("correction"):
        correction = explanation["correction"]
        return env._(
            "Correction of the settled period %(start)s - %(end)s: its invoice line earns "
            "%(now)s there now and had earned %(earned)s; the difference of %(amount)s "
            "is paid with this period.",
            start=correction["period_from"],
            end=correction["period_to"],
            now=money(correction["now"]),
            earned=money(correction["earned"]),
            amount=money(explanation["amount"]),
        )
    clawback = explanation["clawback"]
    return env._(
        "Claw-back: the invoice was reset or cancelled after it had earned %(earned)s "
        "in the period from %(start)s; %(amount)s is taken back in this period.",
        earned=money(clawback["earned"]),
        start=clawback["period_from"],
        amount=money(explanation["amount"]),
    )


def _tier_reason(explanation, env, money):
    attainment = _pct(explanation.get("attainment"))
    if explanation.get("mode") == "marginal":
        bands = "; ".join(
            env._(
                "%(base)s inside %(start)s-%(end)s%% at %(rate)s%%",
                base=money(band["base"]),
                start=band["from"],
                end=band["to"] or "∞",
                rate=band["rate"],
            )
            for band in explanation.get("bands", [])
        )
        return env._(
            "Marginal tiers at %(attainment)s%% attainment, each tier's rate on the "
            "revenue inside it (%(bands)s): %(rate)s%% on the whole.",
            attainment=attainment,
            bands=bands,
            rate=explanation.get("rate"),
        )
    if explanation.get("mode") == "retroactive":
        return env._(
            "Retroactive tiers: %(attainment)s%% attainment reaches the tier from "
            "%(tier)s%%, whose %(rate)s%% applies to all revenue.",
            attainment=attainment,
            tier=explanation.get("tier_from"),
            rate=explanation.get("rate"),
        )
    return env._(
        "Linear tiers: %(attainment)s%% attainment gives %(rate)s%%, interpolated from "
        "the tier starting at %(tier)s%%.",
        attainment=attainment,
        tier=explanation.get("tier_from"),
        rate=explanation.get("rate"),
    )


def _pct(value):
    return f"{Decimal(value):.2f}" if value is not None else "-"
