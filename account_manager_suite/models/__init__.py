# the mixins first: the models below inherit them
from . import account_manager_input_mixin
from . import overlap

# isort: split
from . import account_manager_account_plan
from . import account_manager_account_plan_action
from . import account_manager_account_plan_contact
from . import account_manager_assessment
from . import account_manager_assignment_rule
from . import account_manager_commission_adjustment
from . import account_manager_commission_assignment
from . import account_manager_commission_bonus
from . import account_manager_commission_line
from . import account_manager_commission_line_correction
from . import account_manager_commission_line_dispute
from . import account_manager_commission_line_period
from . import account_manager_commission_line_queue
from . import account_manager_commission_override
from . import account_manager_commission_plan
from . import account_manager_commission_settlement
from . import account_manager_commission_tier
from . import account_manager_ownership
from . import account_manager_ownership_writer
from . import account_manager_performance_event
from . import account_manager_product_cost
from . import account_manager_quota
from . import account_manager_quota_figures
from . import account_manager_quota_plan
from . import account_manager_quota_plan_line
from . import account_manager_revenue
from . import account_manager_revenue_orders
from . import account_manager_revenue_receivables
from . import account_manager_team_member
from . import account_manager_tier
from . import account_move
from . import account_move_line
from . import account_partial_reconcile
from . import cron_batch
from . import digest_digest
from . import ir_actions_report
from . import mail_activity
from . import product_product
from . import res_company
from . import res_config_settings
from . import res_partner
from . import res_partner_checkin
from . import res_partner_health
from . import res_partner_portfolio
from . import res_users
from . import sale_order

# isort: split
# the ledger's summary last: Odoo initialises the models in this order, and its init
# creates triggers that read the columns account_move.py adds to the ledger
from . import account_manager_revenue_day
