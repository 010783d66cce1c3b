"""Issue 14: how a manager is reviewed and paid is read by that manager, the sales
directors and, for the money, the commission accountants; by nobody else.

- ``TestPersonnelData``: every model of the module is sorted into personnel data or not
  (a new model fails until it is sorted); every field of the personnel models, listed
  from ``fields_get``, is read over real JSON-RPC by each group, for oneself and for a
  colleague.
"""

from datetime import date

from odoo.tests import HttpCase
from odoo.tests import tagged

from .common import MODULE
from .security_common import JsonRpcMixin
from .security_common import SecurityCommon
from .security_common import quarter_of

# What says how a manager is reviewed: read by the manager and the directors only.
REVIEWS = ("res.users", "account.manager.performance.event")
# What says how a manager is paid or measured: the accountants read it too.
MONEY = (
    "account.manager.commission.plan",
    "account.manager.commission.assignment",
    "account.manager.commission.tier",
    "account.manager.commission.override",
    "account.manager.commission.bonus",
    "account.manager.commission.line",
    "account.manager.commission.settlement",
    "account.manager.commission.adjustment",
    "account.manager.quota",
)
# The module's other models, and why they say nothing of a manager's review or pay.
NOT_PERSONNEL = {
    "account.manager.account.plan": "an account's plan: the team's work on the customer",
    "account.manager.account.plan.action": "a step of an account plan",
    "account.manager.account.plan.contact": "a contact of an account plan",
    "account.manager.assessment": "the customer's satisfaction, read by the account's team",
    "account.manager.assignment.rule": "how new accounts are handed out, company settings",
    "account.manager.ownership": "who owned an account when, read by the account's team",
    "account.manager.product.cost": "product costs for the margin, company data",
    "account.manager.quota.plan": "directors only (access rights): checked below",
    "account.manager.quota.plan.line": "directors only (access rights): checked below",
    "account.manager.revenue.day": "the ledger's summary, read by the engine only",
    "account.manager.revenue.report": "revenue of the accounts one may see (test_access)",
    "account.manager.team.member": "account teams (test_security_rpc, joining refused)",
    "account.manager.tier": "customer tiers, company settings",
}
DIRECTORS_ONLY = ("account.manager.quota.plan", "account.manager.quota.plan.line")


@tagged("post_install", "-at_install")
class TestPersonnelData(JsonRpcMixin, SecurityCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_reviews()
        Adjustment = cls.env["account.manager.commission.adjustment"]
        cls.anna_adjustment = Adjustment.create(
            {"user_id": cls.anna.id, "amount": 10.0, "reason": "Correction"}
        )
        cls.budi_adjustment = Adjustment.create(
            {"user_id": cls.budi.id, "amount": 20.0, "reason": "Correction"}
        )

    def _records(self):
        """``{model: (anna's record, budi's record)}`` of every personnel model."""
        return {
            "res.users": (self.anna, self.budi),
            "account.manager.performance.event": (self.anna_event, self.budi_event),
            "account.manager.commission.plan": (self.plan, self.budi_plan),
            "account.manager.commission.assignment": (
                self.plan.assignment_ids,
                self.budi_plan.assignment_ids,
            ),
            "account.manager.commission.tier": (self.anna_tier, self.budi_tier),
            "account.manager.commission.override": (self.anna_override, self.budi_override),
            "account.manager.commission.bonus": (self.anna_bonus, self.budi_bonus),
            "account.manager.commission.line": (self.anna_line, self.budi_line),
            "account.manager.commission.settlement": (self.anna_settlement, self.budi_settlement),
            "account.manager.commission.adjustment": (self.anna_adjustment, self.budi_adjustment),
            "account.manager.quota": tuple(self.q1_quotas),
        }

    def _fields_of(self, model):
        """The personnel fields of ``model``: those the module adds to users, the money
        of a commission plan (its rates are on its tiers), every field of the others."""
        info = self.env[model].fields_get()
        if model == "res.users":
            Users = self.env[model]
            return [n for n in info if getattr(Users._fields.get(n), "_module", "") == MODULE]
        if model == "account.manager.commission.plan":
            return [n for n, i in info.items() if i["type"] == "monetary"]
        return list(info)

    def test_every_model_of_the_module_is_sorted(self):
        mine = {
            name
            for name, model in self.env.registry.items()
            if model._original_module == MODULE and not model._abstract and not model._transient
        }
        sorted_ = {"account.manager.performance.event"} | set(MONEY) | set(NOT_PERSONNEL)
        self.assertEqual(mine, sorted_, "a model of the module is not sorted into personnel or not")
        for model in DIRECTORS_ONLY:
            for login in ("anna", "comm_accountant", "plain"):
                user = self.env["res.users"].search([("login", "=", login)])
                with self.subTest(model=model, login=login):
                    self.assertFalse(self.env[model].with_user(user).has_access("read"))

    def test_a_manager_reads_their_own_and_no_colleagues(self):
        for model, (own, colleague) in self._records().items():
            names = self._fields_of(model)
            self.assertTrue(names, model)
            for name in names:
                with self.subTest(model=model, field=name):
                    result, error = self.rpc("anna", model, "read", colleague.ids, [name])
                    self.assertTrue(
                        error == "odoo.exceptions.AccessError" or not (result and result[0][name]),
                        f"anna read {model}.{name} of a colleague: {result}",
                    )
                # one field at a time: Odoo reads a user's own record in superuser mode
                # only when every field asked for is one a user may read of themself
                with self.subTest(model=model, field=name, own=True):
                    result, error = self.rpc("anna", model, "read", own.ids, [name])
                    self.assertFalse(error, f"anna reads her own {model}.{name}")
                    self.assertEqual(result[0]["id"], own.id)

    def test_directors_read_all_accountants_the_money_others_nothing(self):
        for model, (_own, colleague) in self._records().items():
            names = self._fields_of(model)
            for login, allowed in (
                ("director", True),
                ("comm_accountant", model in MONEY),
                ("plain", False),
                ("portal_user", False),
            ):
                with self.subTest(model=model, login=login):
                    result, error = self.rpc(login, model, "read", colleague.ids, names)
                    if allowed:
                        self.assertFalse(error, f"{login} reads {model}")
                        self.assertEqual(result[0]["id"], colleague.id)
                    else:
                        self.assertTrue(
                            error == "odoo.exceptions.AccessError"
                            or not any(result[0][n] for n in names if n != "id"),
                            f"{login} read {model} of a manager: {result}",
                        )
        # the amounts themselves: budi's line (6 % of 4,000.00) and plan's bonus
        for login in ("director", "comm_accountant"):
            line = self.rpc(login, MONEY[5], "read", self.budi_line.ids, ["amount"])[0]
            self.assertEqual(line[0]["amount"], 240.0)
            bonus = self.rpc(login, MONEY[4], "read", self.budi_bonus.ids, ["amount"])[0]
            self.assertEqual(bonus[0]["amount"], 2500.0)

    def test_the_review_state_is_not_learnt_by_searching_or_grouping(self):
        state = "ams_performance_state"
        probation = [[state, "=", "probation"]]
        for method, args in (
            ("search_count", [probation]),
            ("read_group", [[], [state], [state]]),
        ):
            with self.subTest(method=method):
                _result, error = self.rpc("anna", "res.users", method, *args)
                self.assertEqual(error, "odoo.exceptions.AccessError")
        result, _error = self.rpc(
            "anna",
            "account.manager.performance.event",
            "search_read",
            [["new_state", "=", "probation"]],
            ["user_id"],
        )
        self.assertEqual([row["user_id"][0] for row in result], self.anna.ids)
        # a colleague's tiers and bonuses are not found by searching either
        for model in ("account.manager.commission.tier", "account.manager.commission.bonus"):
            result, _error = self.rpc("anna", model, "search_read", [], ["plan_id"])
            self.assertEqual({row["plan_id"][0] for row in result}, set(self.plan.ids))
        # the figures themselves, as each reads them
        self.assertEqual(
            self.rpc("anna", "res.users", "read", self.anna.ids, [state])[0][0][state], "probation"
        )
        self.assertEqual(
            self.rpc("director", "res.users", "read", self.budi.ids, [state])[0][0][state],
            "probation",
        )
        self.assertEqual(
            self.rpc(
                "anna", "account.manager.commission.plan", "read", self.plan.ids, ["ote_amount"]
            )[0][0]["ote_amount"],
            90000.0,
        )

    def test_my_quarter_shows_the_managers_own_status_only(self):
        own, colleague = self.q1_quotas
        name = "user_performance_state"
        self.assertEqual(
            self.rpc("anna", own._name, "read", own.ids, [name])[0][0][name], "probation"
        )
        self.assertFalse(
            self.rpc("comm_accountant", own._name, "read", colleague.ids, [name])[0][0][name]
        )
        self.assertEqual(
            self.rpc("director", own._name, "read", colleague.ids, [name])[0][0][name],
            "probation",
        )

    def test_a_new_quota_typed_for_a_colleague_computes_nothing_of_theirs(self):
        """A form's ``onchange`` computes the fields of a new record without record rules:
        a manager typing a colleague into a new quota learns none of their figures."""
        today = date.today()
        start, end = quarter_of(today)
        # budi's running quarter: 4,000.00 invoiced at his plan's 6 %
        self.create_invoice(self.budi_account, today.replace(day=1), 4000.0)
        spec = {
            "user_id": {},
            "date_from": {},
            "date_to": {},
            "commission_per_step": {},
            "top_accounts_html": {},
        }
        values = {
            "user_id": self.budi.id,
            "period_type": "quarter",
            "date_from": str(start),
            "date_to": str(end),
            "target": 1000.0,
        }
        seen = {}
        for login in ("budi", "director", "anna"):
            result, error = self.rpc(
                login, "account.manager.quota", "onchange", [], values, [], spec
            )
            self.assertFalse(error, login)
            seen[login] = result["value"]
        # what each further 1,000.00 earns: 6 % of it
        self.assertEqual(seen["budi"]["commission_per_step"], 60.0)
        self.assertEqual(seen["director"]["commission_per_step"], 60.0)
        self.assertIn("Budi Kolonial KG", seen["budi"]["top_accounts_html"])
        self.assertEqual(seen["anna"]["commission_per_step"], 0.0)
        self.assertNotIn("Budi Kolonial KG", seen["anna"]["top_accounts_html"] or "")
