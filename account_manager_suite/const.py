"""The module's constants, in one place: group xml ids, selections shared by several
models and reports, the keys of the aging buckets. Plain Python (no Odoo import), so that
the pure modules (health scoring, the commission calculator) may read them too."""

MODULE = "account_manager_suite"

# groups
MANAGER_GROUP = f"{MODULE}.group_account_manager"
DIRECTOR_GROUP = f"{MODULE}.group_sales_director"
ACCOUNTANT_GROUP = f"{MODULE}.group_commission_accountant"


def acts_as_director(env):
    """Whether ``env`` may do what a sales director does: the superuser (a scheduled
    action, a ``sudo()``) or a member of the sales directors' group."""
    return env.su or env.user.has_group(DIRECTOR_GROUP)


def sees_every_manager(env):
    """Whether ``env`` reads the revenue and commissions of every manager, as the quotas'
    and commission lines' record rules let sales directors and commission accountants;
    an account manager reads their own."""
    return acts_as_director(env) or env.user.has_group(ACCOUNTANT_GROUP)


# the calendar periods of quotas, commission plans and probation (their first and last
# days through odoo.tools.date_utils' start_of/end_of); the number of months of each
PERIOD_TYPES = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}

# the account's risk and health
AT_RISK_REASONS = [
    ("unhappy", "Customer Unhappy"),
    ("competitor", "Considering a Competitor"),
    ("delivery", "Delivery Problem"),
    ("payment", "Payment Problem"),
    ("other", "Other"),
]
HEALTH_STATES = [("good", "Healthy"), ("watch", "Watch"), ("critical", "Critical")]

# Fields of the account's management data: only its owner, its team and sales directors
# may change them.
MANAGEMENT_FIELDS = {
    "account_tier_id",
    "checkin_cadence_days",
    "at_risk",
    "at_risk_reason",
    "at_risk_note",
    "remediation_plan",
    "remediation_user_id",
    "remediation_deadline",
}

# open receivables by days past due (account.manager.revenue._receivables_aging)
AGING_BUCKETS = ("not_due", "1_30", "31_60", "61_90", "over_90")
