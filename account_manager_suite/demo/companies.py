"""The demo's companies and users: languages, exchange rates, users and sales teams."""

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo import fields

from .common import MODULE
from .common import _table
from .common import _xmlids

# code | xml id of the localization's demo company | name | city | language | IDR per unit
COMPANIES = """
de | base.demo_company_de | Nordwind Industrietechnik GmbH | Hamburg | de_DE
id | base.demo_company_id | PT Nordwind Teknik Indonesia   | Jakarta | id_ID
"""
# The demo's exchange rate, in both companies' books.
IDR_PER_EUR = 18000.0
# login | name | companies (the first is the default) | language | time zone | groups
USERS = """
director   | Sabine Richter | de id | de_DE | Europe/Berlin | group_sales_director
anna       | Anna Becker    | de    | de_DE | Europe/Berlin | group_account_manager
budi       | Budi Santoso   | id    | id_ID | Asia/Jakarta  | group_account_manager
clara      | Clara Wagner   | de    | de_DE | Europe/Berlin | group_account_manager
dewi       | Dewi Lestari   | id    | id_ID | Asia/Jakarta  | group_account_manager
accountant | Agus Wijaya    | id de | id_ID | Asia/Jakarta  | group_commission_accountant account.group_account_manager account.group_account_user
bizdev     | Jonas Keller   | de id | de_DE | Europe/Berlin | sales_team.group_sale_salesman base.group_partner_manager
"""  # noqa: E501
# Two key-account teams led by the director: the team roll-ups of quotas and reports.
# key | name | company | members
TEAMS = """
europe | Key Accounts Europa | de | anna clara
asia   | Akun Kunci Asia     | id | budi dewi
"""


def _languages(env):
    """German and Indonesian, with the translations of every installed module."""
    codes = [row[4] for row in _table(COMPANIES)]
    inactive = [code for code in codes if not env["res.lang"]._lang_get(code)]
    for code in inactive:
        env["res.lang"]._activate_lang(code)
    if inactive:
        env["ir.module.module"].search([("state", "=", "installed")])._update_translations(
            filter_lang=inactive
        )


def _rates(env, companies):
    """One EUR/IDR rate in both companies' books (rates are per company in Odoo)."""
    eur, idr = env.ref("base.EUR"), env.ref("base.IDR")
    (eur | idr).active = True
    day = fields.Date.context_today(env["res.users"]) - relativedelta(years=3)
    vals_list = []
    for company in companies.values():
        own = company.currency_id
        other = idr if own == eur else eur
        rate = IDR_PER_EUR if own == eur else 1.0 / IDR_PER_EUR
        vals_list += [
            {"name": day, "currency_id": own.id, "rate": 1.0, "company_id": company.id},
            {"name": day, "currency_id": other.id, "rate": rate, "company_id": company.id},
        ]
    env["res.currency.rate"].search(
        [("company_id", "in", [c.id for c in companies.values()]), ("name", "=", day)]
    ).unlink()
    env["res.currency.rate"].create(vals_list)


def _user_companies(login):
    return next(row[2].split() for row in _table(USERS) if row[0] == login)


def _users(env, companies):
    """The demo users, each in the language of their country; passwords are the logins.
    The administrator works in both companies too, from the German one."""
    users = {}
    for login, name, codes, lang, tz, groups in _table(USERS):
        allowed = [companies[code] for code in codes.split()]
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": name,
                    "login": login,
                    "password": login,
                    "email": f"{name.lower().replace(' ', '.')}@nordwind.example",
                    "company_id": allowed[0].id,
                    "company_ids": [Command.set([c.id for c in allowed])],
                    "groups_id": [
                        Command.set(
                            [
                                env.ref(group if "." in group else f"{MODULE}.{group}").id
                                for group in groups.split()
                            ]
                        )
                    ],
                    "lang": lang,
                    "tz": tz,
                    "notification_type": "inbox",
                }
            )
        )
        users[login] = user
    _xmlids(env, {f"demo_user_{login}": user for login, user in users.items()})
    admin = env.ref("base.user_admin")
    admin.write(
        {
            "company_ids": [Command.link(c.id) for c in companies.values()],
            "company_id": companies["de"].id,
            "lang": "en_US",  # loading the languages made it German
        }
    )
    return users


def _teams(env, companies, users):
    teams = {}
    for key, name, code, members in _table(TEAMS):
        company = companies[code]
        teams[f"demo_team_{key}"] = (
            env["crm.team"]
            .with_context(lang=company.partner_id.lang)
            .create(
                {
                    "name": name,
                    "user_id": users["director"].id,
                    "company_id": company.id,
                    "member_ids": [Command.set([users[m].id for m in members.split()])],
                }
            )
        )
    _xmlids(env, teams)
