"""Demo data: a group of two companies for `make run`, every date relative to the install day.

Not an Odoo model: the module's ``post_init_hook`` calls :func:`load` when the database
holds demo data. It builds on the demo companies of Odoo's German and Indonesian
localizations (``l10n_de`` with the SKR03 chart, EUR; ``l10n_id``, IDR), which
``make run`` installs first, and loads no chart of its own:

- the German company: German customers (and a few in neighbouring countries), German
  account managers working in German, invoices in EUR;
- the Indonesian company: Indonesian customers (and Singapore, Malaysia), Indonesian
  account managers working in Indonesian, invoices in IDR;
- the sales director, the commission accountant and business development in both.

Every company gets its own products, ownership history, orders, invoices, credit notes,
payments, check-ins, assessments, account plans, assignment rules, quotas, commission plan
and settlement, through the module's own API and Odoo's own accounting, so every figure
the module shows is read from real ledger lines. The records a user meets by name (users,
teams, customers, products, plans) get xml ids ``account_manager_suite.demo_*``.
"""

import logging
import random

from odoo import fields
from odoo.tools import float_round

from .account_management import AccountManagementDemo
from .common import MODULE
from .common import _table
from .companies import COMPANIES
from .companies import IDR_PER_EUR
from .companies import USERS
from .companies import _languages
from .companies import _rates
from .companies import _teams
from .companies import _user_companies
from .companies import _users
from .compensation import QUOTA_PATTERNS
from .compensation import CompensationDemo
from .customers import PORTFOLIO
from .customers import PROSPECTS
from .customers import CustomersDemo
from .ownership import HANDOVERS
from .ownership import OwnershipDemo
from .relationship import RelationshipDemo
from .sales import SalesDemo

_logger = logging.getLogger(__name__)


def load(env):
    """Build the demo group on the localizations' demo companies; does nothing a second
    time, nor where a localization is missing (it says so in the log)."""
    if env.ref(f"{MODULE}.demo_user_anna", raise_if_not_found=False):
        return
    companies = {}
    for code, xmlid, name, city, lang in _table(COMPANIES):
        company = env.ref(xmlid, raise_if_not_found=False)
        if not company or not company.chart_template:
            _logger.warning(
                "Demo data of %s: no %s with its chart of accounts; install l10n_%s with "
                "demo data first (make run does).",
                MODULE,
                xmlid,
                code,
            )
            return
        company.write({"name": name})
        company.partner_id.write({"city": city, "lang": lang})
        companies[code] = company
    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_activity_quick_update=True,
        )
    )
    _languages(env)
    _rates(env, companies)
    users = _users(env, companies)
    _teams(env, companies, users)
    today = fields.Date.context_today(env["res.users"])
    for index, (code, company) in enumerate(companies.items()):
        CompanyDemo(env, code, company, users, random.Random(20240601 + index)).build(today)
    everywhere = env["res.partner"].with_context(
        allowed_company_ids=env["res.company"].search([]).ids
    )
    everywhere._cron_schedule_checkins()
    everywhere._cron_compute_health()


class CompanyDemo(
    CustomersDemo,
    OwnershipDemo,
    SalesDemo,
    RelationshipDemo,
    AccountManagementDemo,
    CompensationDemo,
):
    """The demo of one company of the group: its accounts, books, quotas, commissions,
    each concern in its own part (the other files of this package)."""

    def __init__(self, env, code, company, users, rng):
        self.code = code
        self.company = company
        # in the company's language: what the module writes on its own (plan names,
        # chatter, activity types) is German in the German company, Indonesian in the other
        self.env = (
            env["res.company"].with_company(company).with_context(lang=company.partner_id.lang).env
        )
        self.users = users
        self.rng = rng
        # the account managers working in this company, in the order of USERS
        self.managers = [
            login
            for login, *_rest in _table(USERS)
            if login in QUOTA_PATTERNS and code in _user_companies(login)
        ]
        owners = set(self.managers)
        self.refs = {row[0] for row in _table(PORTFOLIO) if row[5] in owners} | {
            ref for ref, _name, company_code in _table(PROSPECTS) if company_code == code
        }
        self.handovers = [ref for ref in HANDOVERS if ref in self.refs]
        # amounts of the tables are in EUR: the company's currency at the demo's rate
        self.rate = IDR_PER_EUR if company.currency_id.name == "IDR" else 1.0

    def money(self, amount_eur):
        """An amount of the tables in the company's currency, rounded as a price list
        would be (to the thousand rupiah)."""
        amount = amount_eur * self.rate
        if self.rate >= 1000:
            return float_round(amount, precision_rounding=1000.0)
        return self.company.currency_id.round(amount)

    def portfolio(self):
        return [row for row in _table(PORTFOLIO) if row[0] in self.refs]

    def build(self, today):
        users, company, rng = self.users, self.company, self.rng
        # orders in the company's currency (Odoo's default pricelist is in dollars)
        self.pricelist = self.env["product.pricelist"].create(
            {"name": company.name, "currency_id": company.currency_id.id, "company_id": company.id}
        )
        partners = self.partners(rng)
        history = self.ownership(partners, users, today)
        products = self.products(company)
        won = self.orders(partners, products, users, history, today)
        self.invoices(partners, products, history, today, rng, won)
        self.payments(partners, today, rng)
        self.contacts(partners, users, history, today, rng)
        self.account_management(partners, users, today)
        self.assessments(partners, history, today, rng)
        self.rules(users, company)
        self.quotas(users, company, today)
        self.commissions(users, company, today)
