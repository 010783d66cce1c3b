"""Issue 14: every record rule of the module matters.

- ``TestRecordRuleMutations``: every ``ir.rule`` of the module, listed from its xml ids,
  is mutated (widened to everything, or an all-rule narrowed to nothing) and must change
  what some user sees.
"""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.models import MAGIC_COLUMNS
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import GROUP_MANAGER
from .common import MODULE
from .security_common import Q1
from .security_common import SecurityCommon


@tagged("post_install", "-at_install")
class TestRecordRuleMutations(SecurityCommon):
    """Each record rule of the module matters: widened to everything (or, for a rule that
    grants everything, narrowed to nothing), what some user may read, write, create or
    delete changes. The rules are listed from their xml ids, so a new rule is covered
    too, and fails here until the fixtures give it something to decide."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_own_company_records()
        # another company, with one record of every kind
        data = cls.setup_other_company()
        other = cls.other = data["company"]
        cls.eve = new_test_user(
            cls.env,
            "eve",
            groups=GROUP_MANAGER,
            name="Eve Other",
            company_id=other.id,
            company_ids=[other.id],
        )
        oenv = cls.env(context={**cls.env.context, "allowed_company_ids": [other.id]})
        account = cls._create_other_account(oenv, other)
        cls._create_other_compensation(oenv, other)
        cls._create_other_invoice(oenv, data, account)
        cls.probe_users = (
            cls.anna | cls.budi | cls.clara | cls.director | cls.accountant | cls.eve | cls.internal
        )

    @classmethod
    def _create_own_company_records(cls):
        """An account plan, assessment, team member, adjustment and performance event on
        anna's and on budi's account."""
        env = cls.env
        for account, owner in ((cls.evil, cls.anna), (cls.budi_account, cls.budi)):
            env["account.manager.account.plan"].create(
                {
                    "name": f"Plan {owner.name}",
                    "partner_id": account.id,
                    "contact_ids": [Command.create({"partner_id": account.id, "role": "CEO"})],
                    "action_ids": [
                        Command.create(
                            {"name": "Call", "user_id": owner.id, "date_deadline": "2026-09-01"}
                        )
                    ],
                }
            )
            env["account.manager.assessment"].create(
                {"partner_id": account.id, "satisfaction": "4", "relationship": "good"}
            )
            env["account.manager.team.member"].create(
                {"partner_id": account.id, "user_id": cls.clara.id, "role": "other"}
            )
            env["account.manager.commission.adjustment"].create(
                {"user_id": owner.id, "amount": 10.0, "reason": "Correction"}
            )
            env["account.manager.performance.event"].sudo().create(
                {
                    "user_id": owner.id,
                    "old_state": "on_track",
                    "new_state": "probation",
                    "reason": "two misses",
                }
            )

    @classmethod
    def _create_other_account(cls, oenv, other):
        """Eve's account in the ``other`` company with its team, plan and assessment, a
        tier, a product cost and an assignment rule of that company."""
        cls.eve_tier = cls.tier_standard.copy(
            {"company_id": other.id, "code": "OTH", "name": "Other"}
        )
        account = oenv["res.partner"].create(
            {"name": "Andere AG", "is_company": True, "company_id": other.id}
        )
        account._set_account_manager(cls.eve, date(2025, 1, 1), reason="initial", force=True)
        oenv["account.manager.team.member"].create(
            {"partner_id": account.id, "user_id": cls.eve.id}
        )
        oenv["account.manager.account.plan"].with_company(other).create(
            {
                "name": "Andere plan",
                "partner_id": account.id,
                "company_id": other.id,
                "contact_ids": [Command.create({"partner_id": account.id})],
                "action_ids": [
                    Command.create(
                        {"name": "Visit", "user_id": cls.eve.id, "date_deadline": "2026-09-01"}
                    )
                ],
            }
        )
        oenv["account.manager.assessment"].with_company(other).create(
            {
                "partner_id": account.id,
                "satisfaction": "3",
                "relationship": "good",
                "company_id": other.id,
            }
        )
        oenv["account.manager.product.cost"].sudo().create(
            {
                "product_id": cls.product_a.id,
                "company_id": other.id,
                "date": "2025-01-01",
                "cost": 1.0,
            }
        )
        oenv["account.manager.assignment.rule"].create(
            {"name": "Andere", "company_id": other.id, "method": "fixed", "user_id": cls.eve.id}
        )
        return account

    @classmethod
    def _create_other_compensation(cls, oenv, other):
        """Eve's quota plan, quota, performance event, commission plan, line, adjustment
        and settlement in the ``other`` company."""
        oenv["account.manager.quota.plan"].create(
            {
                "name": "Andere",
                "year": 2027,
                "company_id": other.id,
                "line_ids": [Command.create({"user_id": cls.eve.id, "annual_target": 4000.0})],
            }
        )
        oenv["account.manager.quota"].create(
            {
                "user_id": cls.eve.id,
                "target": 3000,
                "company_id": other.id,
                "period_type": "quarter",
                "date_from": Q1[0],
                "date_to": Q1[1],
            }
        )
        oenv["account.manager.performance.event"].sudo().create(
            {
                "user_id": cls.eve.id,
                "old_state": "on_track",
                "new_state": "probation",
                "reason": "x",
                "company_id": other.id,
            }
        )
        commission_plan = oenv["account.manager.commission.plan"].create(
            {
                "name": "Andere",
                "base_rate": 5.0,
                "company_id": other.id,
                "assignment_ids": [
                    Command.create({"user_id": cls.eve.id, "date_from": "2025-01-01"})
                ],
                "tier_ids": [Command.create({"attainment_from": 0.0, "rate": 4.0})],
                "bonus_ids": [Command.create({"threshold": 500.0, "amount": 10.0})],
                "override_ids": [Command.create({"tier_id": cls.eve_tier.id, "rate": 6.0})],
            }
        )
        line = {
            "user_id": cls.eve.id,
            "plan_id": commission_plan.id,
            "date_from": Q1[0],
            "date_to": Q1[1],
            "rule_type": "base",
            "amount": 1.0,
            "company_id": other.id,
        }
        oenv["account.manager.commission.line"].sudo().create(line)
        oenv["account.manager.commission.adjustment"].create(
            {"user_id": cls.eve.id, "amount": 5.0, "reason": "Korrektur", "company_id": other.id}
        )
        oenv["account.manager.commission.settlement"].sudo().create(
            {"user_id": cls.eve.id, "date_from": Q1[0], "date_to": Q1[1], "company_id": other.id}
        )

    @classmethod
    def _create_other_invoice(cls, oenv, data, account):
        """A posted invoice of the ``other`` company to eve's account."""
        other = data["company"]
        invoice = oenv["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": account.id,
                "company_id": other.id,
                "invoice_date": date(2026, 1, 15),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Beratung",
                            "price_unit": 700.0,
                            "tax_ids": [Command.clear()],
                            "account_id": data["default_account_revenue"].id,
                        }
                    )
                ],
            }
        )
        invoice.action_post()

    def _decisions(self, model, perms):
        """What each probe user may do on each record of ``model``, rules only."""
        records = self.env[model].sudo().with_context(active_test=False).search([])
        self.env.flush_all()
        seen = {}
        for user in self.probe_users:
            Rule = (
                self.env["ir.rule"]
                .with_user(user)
                .with_context(allowed_company_ids=user.company_ids.ids)
            )
            for perm in perms:
                domain = Rule._compute_domain(model, perm)
                allowed = records.filtered_domain(domain) if domain else records
                seen[(user.login, perm)] = set(allowed.ids)
        return seen

    def test_every_rule_of_the_module_decides_something(self):
        rules = self.env["ir.rule"].browse(
            self.env["ir.model.data"]
            .search([("module", "=", MODULE), ("model", "=", "ir.rule")])
            .mapped("res_id")
        )
        self.assertGreaterEqual(len(rules), 56)
        idle = []
        for rule in rules:
            perms = [p for p in ("read", "write", "create", "unlink") if rule[f"perm_{p}"]]
            model = rule.model_id.model
            original = rule.domain_force
            grants_all = "".join(original.split()) in ("[(1,'=',1)]", '[(1,"=",1)]')
            before = self._decisions(model, perms)
            rule.domain_force = "[(0, '=', 1)]" if grants_all else "[(1, '=', 1)]"
            after = self._decisions(model, perms)
            rule.domain_force = original
            if before == after:
                idle.append(rule.get_external_id()[rule.id])
        self.assertFalse(idle, "rules that decide nothing for the fixtures (untested)")


@tagged("post_install", "-at_install")
class TestWorkflowFieldsInventory(SecurityCommon):
    """Commission lines and settlements are computed and moved on by the module's actions
    only: every stored field the module gives them is a workflow field (refused in
    ``create``/``write`` unless an action writes it), so a field added later cannot be
    typed over RPC by whoever may write the record (the JSON-RPC tests take their fields
    from the same tuple)."""

    # fields a user does type, through the form or an action's wizard
    TYPED = {"account.manager.commission.settlement": {"note"}}

    def test_every_stored_field_of_the_computed_records_is_guarded(self):
        for model in ("account.manager.commission.line", "account.manager.commission.settlement"):
            Model = self.env[model]
            stored = {
                name
                for name, field in Model._fields.items()
                if field.store
                and name not in MAGIC_COLUMNS
                and field._module == MODULE
                and not field.compute
                and name not in self.TYPED.get(model, ())
            }
            with self.subTest(model=model):
                self.assertEqual(stored - set(Model._ams_workflow_fields), set())

    def test_an_explanation_is_not_rewritten_over_the_orm(self):
        line = self.budi_line.with_user(self.director)
        before = line.sudo().explanation
        with self.assertRaises(AccessError):
            line.write({"explanation": {"rule": "base", "why": {"typed": True}}})
        self.assertEqual(line.sudo().explanation, before)
