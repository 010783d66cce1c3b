"""The commission calculator: plain Python, no ORM, no cursor, no ``odoo`` import.

Rows and plan rules in (:mod:`.data`), lines with their amounts and explanations out,
exact to the unit of the currency, in the way ``mis_builder`` keeps its expression
engine apart from the models that show it. ``account.manager.commission.line`` reads
the ledger through the attribution engine, builds a :class:`~.data.Period` per manager,
calls :func:`calculate` and writes the result; the tests call it with plain data.

* :mod:`.engine` — the steps (commissionable amount, rate rules, pools on the period
  totals, largest-remainder allocation, period rules, explanation);
* :mod:`.rules` — every rule as a small documented function, in two pipelines;
* :mod:`.tiers` — marginal, retroactive and linear tiers on the period's totals;
* :mod:`.allocation` — rounding and the largest-remainder rule (credit notes, totals
  of zero, ties by line id);
* :mod:`.explain` — structured explanations and their words;
* :mod:`.whatif` — a quotation's commission, the revenue to the next tier or bonus.

Where what comes next fits:

* credit splits and overlays: rows scaled by the credited share (``Row.revenue`` and
  ``Row.cost`` times the share) before ``compute``; an overlay is a period of its own
  for the overlay's plan over the same rows;
* team-lead overrides: a period of the lead over the members' rows, with a rate rule
  returning the override rate;
* draws and guarantees, deferred compensation: period rules after the cap (they see
  the total so far and add lines of their own);
* ramp quotas: ``Period.quota`` is the ramped target;
* plan versions with proration: one ``Period`` per version with its share of the
  days, the results combined by the caller.
"""

from .allocation import allocate
from .allocation import round_amount
from .data import Bonus
from .data import Held
from .data import Override
from .data import Period
from .data import Plan
from .data import Row
from .data import SettledRate
from .data import Tier
from .engine import Calculator
from .engine import calculate
from .explain import describe
from .rules import DEFAULT_PERIOD_RULES
from .rules import DEFAULT_RATE_RULES
from .whatif import next_steps
from .whatif import standard_rate
from .whatif import what_if

__all__ = [
    "DEFAULT_PERIOD_RULES",
    "DEFAULT_RATE_RULES",
    "Bonus",
    "Calculator",
    "Held",
    "Override",
    "Period",
    "Plan",
    "Row",
    "SettledRate",
    "Tier",
    "allocate",
    "calculate",
    "describe",
    "next_steps",
    "round_amount",
    "standard_rate",
    "what_if",
]
