from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

METHODS = [
    ("fixed", "Fixed Account Manager"),
    ("round_robin", "Round-robin"),
    ("least_loaded", "Least Loaded"),
]


class AccountManagerAssignmentRule(models.Model):
    """Who takes over a new customer from business development.

    When the first sales order of a customer without an account manager is confirmed,
    the first active rule (by sequence) whose conditions match the customer picks the
    account manager: a fixed person, the next one in turn (round-robin), or the one with
    the fewest accounts (least loaded) among the rule's candidates or its sales team.
    """

    _name = "account.manager.assignment.rule"
    _inherit = ["account.manager.input.mixin"]
    _description = "Account Assignment Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    tier_ids = fields.Many2many(
        "account.manager.tier", string="Customer Tiers", help="Empty: any tier."
    )
    country_ids = fields.Many2many("res.country", string="Countries", help="Empty: any country.")
    state_ids = fields.Many2many(
        "res.country.state", string="States", help="Empty: any state of the countries."
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        help="Matches orders of this sales team; its members are the candidates when the "
        "rule names none.",
    )
    method = fields.Selection(METHODS, required=True, default="round_robin")
    user_id = fields.Many2one("res.users", string="Account Manager", domain=[("share", "=", False)])
    user_ids = fields.Many2many(
        "res.users",
        string="Candidates",
        domain=[("share", "=", False)],
        help="Account managers taking turns (round-robin) or sharing the load. Empty: the "
        "members of the sales team.",
    )
    last_user_id = fields.Many2one("res.users", string="Last Assigned", readonly=True, copy=False)

    @api.constrains("method", "user_id", "user_ids", "team_id")
    def _check_candidates(self):
        for rule in self:
            if rule.method == "fixed" and not rule.user_id:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s assigns a fixed account manager: fill in Account Manager.",
                        rule=rule.name,
                    )
                )
            if rule.method != "fixed" and not rule._candidates():
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s has no candidates: add Candidates or choose a Sales "
                        "Team with members.",
                        rule=rule.name,
                    )
                )
            users = rule.user_id if rule.method == "fixed" else rule.user_ids
            self.env["res.users"]._ams_check_assignable(users)

    def _candidates(self):
        self.ensure_one()
        users = self.user_ids or self.team_id.member_ids
        return users.filtered(lambda u: u.active and not u.share).sorted("id")

    def _matches(self, partner, team):
        self.ensure_one()
        return (
            (not self.company_id or not partner.company_id or partner.company_id == self.company_id)
            and (not self.tier_ids or partner.account_tier_id in self.tier_ids)
            and (not self.country_ids or partner.country_id in self.country_ids)
            and (not self.state_ids or partner.state_id in self.state_ids)
            and (not self.team_id or team == self.team_id)
        )

    @api.model
    def _account_loads(self, users):
        """Number of accounts each user owns, in one query."""
        # sudo: counts only (no partner is returned), for the rule's round-robin/least-load
        return {
            user.id: count
            for user, count in self.env["res.partner"]
            .sudo()
            ._read_group(
                [
                    ("account_manager_id", "in", users.ids),
                    "|",
                    ("is_company", "=", True),
                    ("parent_id", "=", False),
                ],
                ["account_manager_id"],
                ["__count"],
            )
        }

    @api.model
    def _assign_accounts(self, orders):
        """Hand the customers of confirmed ``orders`` that have no account manager over to
        the manager their rule picks, log it and schedule the kick-off."""
        # sudo: the hand-over (history, chatter, kick-off activity) is the system's doing,
        # and the salesperson confirming the order may not write partners; only the
        # customers of the orders being confirmed that have no account manager move
        accounts = orders.partner_id.commercial_partner_id.sudo().filtered(
            lambda p: not p.account_manager_id
        )
        if not accounts:
            return self.env["res.partner"]
        rules = self.search([("company_id", "in", orders.company_id.ids)])
        if rules:
            # Serialise round-robin turns between concurrent confirmations.
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM account_manager_assignment_rule WHERE id IN %s FOR UPDATE",
                    tuple(rules.ids),
                )
            )
        loads = self._account_loads(
            rules.mapped(lambda r: r._candidates()) if rules else self.env["res.users"]
        )
        kickoff = self.env.ref("account_manager_suite.mail_activity_type_kickoff")
        assigned = self.env["res.partner"]
        for account in accounts:
            order = orders.filtered(lambda o, a=account: o.partner_id.commercial_partner_id == a)[
                :1
            ]
            team = order.team_id or account.team_id
            # a rule whose people were archived since is passed over, not an error: the
            # sale must confirm
            rule = next((r for r in rules if r._matches(account, team) and r._usable()), None)
            if not rule:
                account.message_post(
                    body=self.env._(
                        "No account assignment rule matches this customer: a sales director "
                        "should choose its account manager."
                    ),
                    message_type="notification",
                    subtype_xmlid="mail.mt_note",
                )
                continue
            user = rule._pick(loads)
            self._hand_over(account, order, rule, user, kickoff)
            loads[user.id] = loads.get(user.id, 0) + 1
            assigned |= account
        return assigned

    @api.model
    def _hand_over(self, account, order, rule, user, kickoff):
        """Make ``user`` the account manager of ``account``, won with ``order``: the
        ownership history, a note in its chatter and the kick-off activity."""
        day = fields.Date.context_today(self, order.date_order)
        business_developer = account.user_id or order.user_id
        account._set_account_manager(user, day, reason="handover", note=rule.name, force=True)
        account.message_post(
            body=self.env._(
                "Hand-over from business development: %(bd)s won this customer with "
                "%(order)s; %(am)s is its account manager from %(day)s (rule: %(rule)s).",
                bd=business_developer.name or self.env._("(no salesperson)"),
                order=order.name,
                am=user.name,
                day=day,
                rule=rule.name,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        delay = (order.company_id or self.env.company).ams_kickoff_delay_days
        account.activity_schedule(
            activity_type_id=kickoff.id,
            user_id=user.id,
            date_deadline=day + timedelta(days=delay),
            summary=self.env._("Kick-off with %(account)s", account=account.name),
        )

    def _usable(self):
        self.ensure_one()
        if self.method == "fixed":
            return self.user_id.active and not self.user_id.share
        return bool(self._candidates())

    def _pick(self, loads):
        """The account manager this rule assigns next; advances the round-robin turn."""
        self.ensure_one()
        if self.method == "fixed":
            return self.user_id
        candidates = self._candidates()
        if self.method == "least_loaded":
            return min(candidates, key=lambda u: (loads.get(u.id, 0), u.id))
        ids = candidates.ids
        after = ids.index(self.last_user_id.id) + 1 if self.last_user_id.id in ids else 0
        user = candidates[after % len(ids)]
        # sudo: the rule's round-robin pointer, moved by whoever confirms the order
        self.sudo().last_user_id = user
        return user
