"""Shared fixtures: a company with a chart of accounts, users per group, and helpers that
post customer invoices, credit notes and payments through Odoo's own accounting."""

import itertools
import re
import unittest
from contextlib import closing
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from unittest.mock import patch

from odoo import Command
from odoo import http as odoo_http
from odoo import sql_db
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.service import server as odoo_server
from odoo.tests import common as odoo_test_common
from odoo.tests import new_test_user
from odoo.tools import SQL

from ..const import ACCOUNTANT_GROUP as GROUP_ACCOUNTANT
from ..const import DIRECTOR_GROUP as GROUP_DIRECTOR
from ..const import MANAGER_GROUP as GROUP_MANAGER
from ..const import MODULE

# What a refused call might write: every table of the module, and the Odoo tables it touches.
WRITTEN_TABLES = (
    "account_manager_tier",
    "account_manager_ownership",
    "account_manager_assignment_rule",
    "account_manager_team_member",
    "account_manager_account_plan",
    "account_manager_assessment",
    "mail_message",
    "mail_activity",
    "account_manager_quota",
    "account_manager_quota_plan",
    "account_manager_quota_plan_line",
    "account_manager_commission_plan",
    "account_manager_commission_tier",
    "account_manager_commission_override",
    "account_manager_commission_bonus",
    "account_manager_commission_assignment",
    "account_manager_commission_line",
    "account_manager_commission_settlement",
    "account_manager_performance_event",
    "res_company",
    "res_partner",
    "account_move",
    "account_move_line",
)
# the monetary widget writes a negative amount with a zero-width no-break space after the
# minus ("-\ufeff500.00"): still a negative number
NUMBER = re.compile(r"(?:-\ufeff?)?\d+(?:[,.\u00a0\u202f]\d{3})*(?:[.,]\d+)?")


def committed_fingerprint(dbname, tables=WRITTEN_TABLES):
    """``{table: (row count, md5 of all rows)}`` as another connection sees the database:
    what is committed. A test's own transaction is invisible there, so this changes only
    when something escaped it: a commit, or a write through a cursor of its own, which is
    the only way a refused request can leave anything behind (its own transaction is
    rolled back)."""
    with closing(sql_db.db_connect(dbname).cursor()) as cr:
        result = {}
        for table in tables:
            cr.execute(
                SQL(
                    "SELECT COUNT(*), md5(string_agg(t::text, ',' ORDER BY id)) FROM %s t",
                    SQL.identifier(table),
                )
            )
            result[table] = cr.fetchone()
        return result


def amounts_in(text):
    """The numbers written in ``text`` (HTML or plain), as floats, in order of appearance:
    ``1,400.00`` is 1400.0 and never also 400.0. Understands the English (1,234.50) and
    the German and Indonesian (1.234,50) ways of writing amounts, and the monetary
    widget's negative ones (a minus, a zero-width no-break space, 500.00: -500.0); tags are
    separators."""
    text = re.sub(r"<[^>]*>", " ", text).replace("&nbsp;", " ")
    numbers = []
    for match in NUMBER.finditer(text):
        token = re.sub("[\u00a0\u202f\ufeff]", "", match.group())
        decimals = re.search(r"[.,](\d{1,2})$", token)
        if decimals:
            whole = re.sub(r"[.,]", "", token[: decimals.start()])
            numbers.append(float(f"{whole}.{decimals.group(1)}"))
        else:
            numbers.append(float(re.sub(r"[.,]", "", token)))
    return numbers


class AccountManagerCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        # The accounting tests run as an accountant: make them a sales director as well.
        cls.env.user.groups_id |= cls.env.ref(GROUP_DIRECTOR) | cls.env.ref(GROUP_ACCOUNTANT)
        user = {"company_id": company.id, "company_ids": [company.id]}
        cls.anna = new_test_user(cls.env, "anna", groups=GROUP_MANAGER, name="Anna Becker", **user)
        cls.budi = new_test_user(cls.env, "budi", groups=GROUP_MANAGER, name="Budi Santoso", **user)
        cls.clara = new_test_user(
            cls.env, "clara", groups=GROUP_MANAGER, name="Clara Wagner", **user
        )
        cls.director = new_test_user(
            cls.env, "director", groups=GROUP_DIRECTOR, name="Diana Director", **user
        )
        cls.accountant = new_test_user(
            cls.env, "comm_accountant", groups=GROUP_ACCOUNTANT, name="Carl Count", **user
        )
        cls.bizdev = new_test_user(
            cls.env, "bizdev", groups="sales_team.group_sale_salesman", name="Ben Hunter", **user
        )
        cls.internal = new_test_user(cls.env, "plain", groups="base.group_user", **user)
        cls.portal = new_test_user(cls.env, "portal_user", groups="base.group_portal", **user)
        cls.tier_key = cls.env.ref(f"{MODULE}.tier_key")
        cls.tier_standard = cls.env.ref(f"{MODULE}.tier_standard")
        cls.tier_small = cls.env.ref(f"{MODULE}.tier_small")
        cls.germany = cls.env.ref("base.de")
        cls.indonesia = cls.env.ref("base.id")
        cls.revenue_account = cls.company_data["default_account_revenue"]

    @classmethod
    def create_account(cls, name, manager=None, since=date(2025, 1, 1), tier=None, **vals):
        """A customer company, owned by ``manager`` from ``since``."""
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "account_tier_id": (tier or cls.tier_standard).id,
                **vals,
            }
        )
        if manager:
            partner._set_account_manager(manager, since, reason="initial", force=True)
        return partner

    @classmethod
    def create_plan(cls, name, rate, users, since=date(2025, 1, 1), tiers=(), **vals):
        """A commission plan at ``rate`` assigned to ``users`` from ``since``, with
        ``tiers`` as ``(attainment_from, attainment_to, rate)`` and other plan ``vals``."""
        return cls.env["account.manager.commission.plan"].create(
            {
                "name": name,
                "base_rate": rate,
                **vals,
                "tier_ids": [
                    Command.create({"attainment_from": f, "attainment_to": t, "rate": r})
                    for f, t, r in tiers
                ],
                "assignment_ids": [
                    Command.create({"user_id": user.id, "date_from": since}) for user in users
                ],
            }
        )

    @classmethod
    def create_invoice(
        cls, partner, invoice_date, amount, refund=False, post=True, due=None, currency=None
    ):
        """A customer invoice (or credit note) of one untaxed line of ``amount``."""
        vals = {
            "move_type": "out_refund" if refund else "out_invoice",
            "partner_id": partner.id,
            "invoice_date": invoice_date,
            "invoice_payment_term_id": False,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "Consulting",
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                        "account_id": cls.revenue_account.id,
                    }
                )
            ],
        }
        # without payment terms the due date is the invoice date (else Odoo takes today)
        vals["invoice_date_due"] = due or invoice_date
        if currency:
            vals["currency_id"] = currency.id
        move = cls.env["account.move"].create(vals)
        if post:
            move.action_post()
        return move

    @classmethod
    def pay(cls, moves, amount, payment_date):
        """Register a payment of ``amount`` on ``moves`` (partial payments welcome)."""
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create(
                {
                    "amount": amount,
                    "payment_date": payment_date,
                    "payment_difference_handling": "open",
                }
            )
        )
        return wizard._create_payments()

    @classmethod
    def create_order(cls, partner, amount, user=None, confirm=False, **vals):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": (user or cls.bizdev).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product_a.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
                **vals,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def run_cron(self, name):
        """Run a scheduled action of the module through its ``ir.cron`` record, as the
        scheduler does: its code line, on its model, as its user."""
        cron = self.env.ref(f"{MODULE}.{name}")
        self.assertTrue(cron.active, f"{name} is active")
        cron.method_direct_trigger()
        self.env.invalidate_all()
        return cron

    def periods(self, partner):
        """Ownership periods of an account as (manager login, from, to, reason), oldest first."""
        return [
            (p.user_id.login, p.date_from, p.date_to, p.reason)
            for p in partner.ownership_ids.sorted("date_from")
        ]

    def assertContiguous(self, partner):
        periods = partner.ownership_ids.sorted("date_from")
        for before, after in itertools.pairwise(periods):
            self.assertTrue(before.date_to, "only the last period is open")
            self.assertEqual((after.date_from - before.date_to).days, 1, "no gap, no overlap")
        self.assertFalse(periods[-1:].date_to, "the last period is open")

    @contextmanager
    def assertRefused(self, exception, pattern):
        """Like assertRaisesRegex, inside a savepoint rolled back on the error, as the
        request's transaction would be; and nothing escaped that rollback: the database
        as another connection sees it (``committed_fingerprint``) is the same before and
        after. (What the test reads afterwards in its own transaction is what the rollback
        restored, whatever the call wrote: only the other connection's view can fail.)"""
        before = committed_fingerprint(self.env.cr.dbname)
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), pattern)
        self.assertEqual(
            committed_fingerprint(self.env.cr.dbname),
            before,
            "the refused call wrote outside its transaction",
        )

    def assertAmounts(self, text, expected, msg=None):
        """Every amount of ``expected`` is a number written in ``text`` (compared as
        numbers, so 400.00 is not found in 1,400.00)."""
        found = amounts_in(text)
        missing = [amount for amount in expected if amount not in found]
        self.assertFalse(missing, msg or f"amounts {missing} not among {found}")

    def run_scheduled_action(self, xmlid, **kwargs):
        """Run a scheduled action through its ir.cron record, as the scheduler does (one
        batch a run); ``kwargs`` are passed to its method (e.g. ``batch_size=1``). Returns
        the progress the run reported: ``(done, remaining)``."""
        cron = self.env.ref(f"{MODULE}.{xmlid}").sudo()
        if kwargs:
            arguments = ", ".join(f"{name}={value!r}" for name, value in kwargs.items())
            cron.code = cron.code.replace("()", f"({arguments})")
        cron.method_direct_trigger()
        progress = (
            self.env["ir.cron.progress"]
            .sudo()
            .search([("cron_id", "=", cron.id)], order="id desc", limit=1)
        )
        return progress.done, progress.remaining


class BrowserTours:
    """For the test classes that run browser tours (with ``HttpCase``): the web client's
    assets compiled before the first tour (a fresh test database compiles them on the
    browser's first request, which takes a while on a small machine), and a tour that
    cannot run is a failure: Odoo skips it, silently, when Chromium is missing or its
    devtools connection fails."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name in ("web.assets_web", "web.assets_tests"):
            bundle = cls.env["ir.qweb"]._get_asset_bundle(name)
            bundle.js()
            bundle.css()
        # the static paths of every addon, read once here: the HTTP server's threads read
        # them on the browser's first requests, every manifest through ``compile``, which
        # CPython 3.11 before 3.11.8 does not run safely in two threads at once ("AST
        # constructor recursion depth mismatch", a failed tour in CI)
        _statics = odoo_http.root.statics  # a lazy property, computed on first read

    # Odoo gives Chromium 10 s to open its devtools port; on a small machine that also
    # runs the install tests beside the suite, a cold start takes longer than that.
    BROWSER_START_SECONDS = 90

    # and 60 s for the web client to start; the first tour of a shard, beside the other
    # shard, has been seen to need more (a blank page at 60 s, no error in the console)
    BROWSER_READY_SECONDS = 180

    # and, in test mode, its HTTP server 5 s to read a request from the socket: a starved
    # Chromium that sends a file upload's body later than that gets werkzeug's "400 Bad
    # Request" page instead of the route's JSON (seen once in CI: "Unexpected token '<',
    # "<!doctype "... is not valid JSON" on the import screen). The browser is stopped at
    # the end of a tour, which closes its idle connections, so a longer wait costs nothing.
    REQUEST_READ_SECONDS = 60

    def browser_js(self, *args, **kwargs):
        iterations = int(self.BROWSER_START_SECONDS / odoo_test_common.CHECK_BROWSER_SLEEP)
        wait_ready = odoo_test_common.ChromeBrowser._wait_ready
        ready_seconds = self.BROWSER_READY_SECONDS
        handler_setup = odoo_server.RequestHandler.setup
        read_seconds = self.REQUEST_READ_SECONDS

        def patient_wait_ready(browser, ready_code=None, timeout=60):
            return wait_ready(browser, ready_code, timeout=max(timeout, ready_seconds))

        def patient_handler_setup(handler):
            handler_setup(handler)
            handler.connection.settimeout(read_seconds)

        try:
            with (
                patch.object(odoo_test_common, "CHECK_BROWSER_ITERATIONS", iterations),
                patch.object(odoo_test_common.ChromeBrowser, "_wait_ready", patient_wait_ready),
                patch.object(odoo_server.RequestHandler, "setup", patient_handler_setup),
            ):
                return super().browser_js(*args, **kwargs)
        except unittest.SkipTest as skipped:
            self.fail(f"The browser could not be driven, the tour did not run: {skipped}")


def amounts_written(text, thousands=",", decimal=".", places=2, before="", after=""):
    """The amounts written in ``text`` exactly as a language writes them, as Decimals in
    order of appearance: whole tokens only (``1,400.00`` is 1400.00 and never also 400.00),
    with ``thousands`` between groups of three digits and ``places`` decimals after
    ``decimal``, and ``before``/``after`` it (spaces aside) the symbol the test expects,
    e.g. ``amounts_written(html, ".", ",", after="€")`` for German euros. An amount
    written another way (``10,000.00 €`` for the German ``10.000,00 €``) is not found."""
    text = re.sub(r"<[^>]*>", " ", text).replace("&nbsp;", " ")
    sep = re.escape(thousands) + re.escape(decimal)
    number = (
        rf"(?<![\d{sep}])((?:-\ufeff?)?\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})*"
        rf"{re.escape(decimal)}\d{{{places}}})(?!\d|[{sep}]\d)"
    )
    prefix = rf"{re.escape(before)}\s*" if before else ""
    suffix = rf"\s*{re.escape(after)}" if after else ""
    return [
        Decimal(token.replace("\ufeff", "").replace(thousands, "").replace(decimal, "."))
        for token in re.findall(prefix + number + suffix, text)
    ]
