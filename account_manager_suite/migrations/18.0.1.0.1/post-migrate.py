"""18.0.1.0.1: the account-team rule narrowed to the account's owner (issue 14).

The record rules are ``noupdate`` (an administrator may adapt them), so updating the module
creates the new rules but leaves an existing rule as it was: databases installed before
would keep the old rule, under which a member of an account's team changes that team
(and puts themself on a colleague's account). This rule follows the code
(``account.manager.team.member._check_owner_of``), so it is written again here.

The rule is looked up under the name the code gives it now: 18.0.1.0.1 also moved the
account teams and plans into the module's namespace (``account.manager.team.member``,
readme/HISTORY.md). A database of 18.0.1.0.0 has the rule under its earlier id, on the
earlier model; its update creates this rule from the XML, already narrowed, before this
script runs, and at its end removes the earlier model with its rules and access rights
(Odoo leaves the earlier tables in the database, unread: no data migration, as no release
had these models). Written again here, the rule is the code's wherever it already existed.
"""

from odoo import SUPERUSER_ID
from odoo import api

TEAM_RULE = "account_manager_suite.account_manager_team_member_rule_manager"
TEAM_RULE_VALUES = {
    "name": "Account team: the account's owner changes its team",
    "domain_force": "[('partner_id.account_manager_id', '=', user.id)]",
}


def narrow_team_rule(env):
    rule = env.ref(TEAM_RULE, raise_if_not_found=False)
    if rule:
        rule.write(TEAM_RULE_VALUES)


def migrate(cr, version):
    if version:
        narrow_team_rule(api.Environment(cr, SUPERUSER_ID, {}))
