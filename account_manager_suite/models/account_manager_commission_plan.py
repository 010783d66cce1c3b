from decimal import Decimal
from itertools import pairwise

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import date_utils
from odoo.tools import float_compare

from .. import calculator
from ..const import PERIOD_TYPES

TIER_MODES = [
    ("none", "No Tiers (base rate)"),
    ("marginal", "Marginal (each tier's rate on the revenue inside it)"),
    ("retroactive", "Retroactive (the reached tier's rate on all revenue)"),
    ("linear", "Linear (rate interpolated between tier levels)"),
]


class AccountManagerCommissionPlan(models.Model):
    """How an account manager earns commission on the revenue they generate.

    Rules are evaluated in this order (by the calculator, ``account_manager_suite/calculator``,
    which ``account.manager.commission.line._compute_period`` calls):
    1. the commissionable amount of each invoice line: revenue, or margin, attributed
       through the ownership history, when invoiced or, on the paid basis, in
       proportion to what is paid, on the payment date;
    2. its rate: a product-category override, else a customer-tier override, else the
       new-business rate for customers in their first months after hand-over, else the
       base rate or the tiers (by quota attainment on the period total);
    3. each rule's commission on the period total, allocated to its lines to the cent;
    4. quota bonuses: a fixed amount per threshold reached, once per period;
    5. the cap on the period's total.
    """

    _name = "account.manager.commission.plan"
    _description = "Commission Plan"
    # about the pay or review of a user, who does not change it (workflow_guard)
    _ams_own_path = "assignment_ids.user_id"
    _inherit = ["mail.thread", "account.manager.input.mixin"]
    _order = "name"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    ote_amount = fields.Monetary(
        string="On-target Earnings", help="For reference: yearly pay at 100% attainment."
    )
    base_salary = fields.Monetary(help="For reference: the yearly fixed part of the pay.")
    period_type = fields.Selection(
        PERIOD_TYPES,
        required=True,
        default="quarter",
        tracking=True,
    )
    amount_basis = fields.Selection(
        [("revenue", "Revenue"), ("margin", "Margin")],
        string="Commission On",
        required=True,
        default="revenue",
        help="Margin: revenue minus the product's cost.",
    )
    earning_basis = fields.Selection(
        [("invoiced", "Invoiced"), ("paid", "Paid")],
        string="Earned When",
        required=True,
        default="invoiced",
        help="Paid: in proportion to what the customer paid, in the period of the payment.",
    )
    base_rate = fields.Float(string="Base Rate (%)", digits=(16, 4), tracking=True)
    tier_mode = fields.Selection(TIER_MODES, required=True, default="none", tracking=True)
    tier_ids = fields.One2many("account.manager.commission.tier", "plan_id", string="Tiers")
    override_ids = fields.One2many(
        "account.manager.commission.override", "plan_id", string="Rate Overrides"
    )
    bonus_ids = fields.One2many("account.manager.commission.bonus", "plan_id", string="Bonuses")
    new_business_months = fields.Integer(
        help="Customers count as new business during this many months after their "
        "hand-over. 0: no new-business rate."
    )
    new_business_rate = fields.Float(string="New-business Rate (%)", digits=(16, 4))
    cap_amount = fields.Monetary(string="Cap per Period", help="0: no cap.")
    assignment_ids = fields.One2many(
        "account.manager.commission.assignment", "plan_id", string="Account Managers"
    )

    @api.constrains("base_rate", "new_business_rate", "new_business_months", "cap_amount")
    def _check_rates(self):
        for plan in self:
            for label, rate in (
                (self.env._("Base Rate"), plan.base_rate),
                (self.env._("New-business Rate"), plan.new_business_rate),
            ):
                _check_percentage(self.env, label, rate, plan.name)
            if plan.new_business_months < 0 or plan.cap_amount < 0:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s: New-business Months and Cap per Period cannot be negative.",
                        plan=plan.name,
                    )
                )

    @api.constrains("tier_mode", "tier_ids")
    def _check_tiers(self):
        """Tiers start at 0%, follow each other without gap or overlap, and only the last
        may be open-ended."""
        for plan in self.filtered(lambda p: p.tier_mode != "none"):
            tiers = plan.tier_ids.sorted("attainment_from")
            if not tiers:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s uses tiers: add at least one tier, or choose No Tiers.",
                        plan=plan.name,
                    )
                )
            if float_compare(tiers[0].attainment_from, 0.0, precision_digits=4):
                raise ValidationError(
                    self.env._(
                        "The first tier of plan %(plan)s must start at 0%% attainment.",
                        plan=plan.name,
                    )
                )
            for tier, following in pairwise(tiers):
                if not tier.attainment_to or float_compare(
                    tier.attainment_to, following.attainment_from, precision_digits=4
                ):
                    raise ValidationError(
                        self.env._(
                            "Tiers of plan %(plan)s leave a gap or overlap between "
                            "%(to)s%% and %(from)s%%: each tier must start where the previous "
                            "one ends, and only the last may have no upper bound.",
                            plan=plan.name,
                            to=tier.attainment_to or "∞",
                            **{"from": following.attainment_from},
                        )
                    )

    def _period_of(self, day):
        """First and last day of the plan's period containing ``day``."""
        self.ensure_one()
        return (
            date_utils.start_of(day, self.period_type),
            date_utils.end_of(day, self.period_type),
        )

    def _calculator_plan(self):
        """The plan's rules as the calculator reads them (``calculator.Plan``)."""
        self.ensure_one()

        def dec(value):
            return Decimal(repr(float(value)))

        return calculator.Plan(
            base_rate=dec(self.base_rate),
            tier_mode=self.tier_mode,
            tiers=tuple(
                calculator.Tier(
                    dec(tier.attainment_from),
                    dec(tier.attainment_to) if tier.attainment_to else None,
                    dec(tier.rate),
                )
                for tier in self.tier_ids.sorted("attainment_from")
            ),
            category_overrides=tuple(
                calculator.Override(o.categ_id.id, dec(o.rate), o.categ_id.display_name)
                for o in self.override_ids
                if o.categ_id
            ),
            customer_tier_overrides=tuple(
                calculator.Override(o.tier_id.id, dec(o.rate), o.tier_id.display_name)
                for o in self.override_ids
                if o.tier_id
            ),
            new_business_rate=dec(self.new_business_rate),
            new_business_months=self.new_business_months,
            amount_basis=self.amount_basis,
            bonuses=tuple(
                calculator.Bonus(dec(bonus.threshold), dec(bonus.amount))
                for bonus in self.bonus_ids
            ),
            cap=dec(self.cap_amount) if self.cap_amount else None,
            name=self.name,
        )


def _check_percentage(env, label, rate, plan_name):
    if rate < 0 or rate > 100:
        raise ValidationError(
            env._(
                "%(label)s of plan %(plan)s must be a percentage between 0 and 100 (got %(rate)s).",
                label=label,
                plan=plan_name,
                rate=rate,
            )
        )
