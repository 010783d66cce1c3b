# the mixin first: the models below inherit it
from . import account_manager_input_mixin

# isort: split
from . import account_manager_assessment
from . import account_manager_assignment_rule
from . import account_manager_commission_assignment
from . import account_manager_commission_bonus
from . import account_manager_commission_line
from . import account_manager_commission_line_correction
from . import account_manager_commission_line_queue
from . import account_manager_commission_override
from . import account_manager_commission_plan
from . import account_manager_commission_settlement
from . import account_manager_commission_tier
from . import account_manager_demo
from . import account_manager_ownership
from . import account_manager_performance_event
from . import account_manager_product_cost
from . import account_manager_quota
from . import account_manager_quota_plan
from . import account_manager_quota_plan_line
from . import account_manager_revenue
from . import account_manager_tier
from . import account_move
from . import account_move_line
from . import account_partial_reconcile
from . import account_plan
from . import account_plan_action
from . import account_plan_contact
from . import account_team_member
from . import mail_activity
from . import product_product
from . import res_company
from . import res_config_settings
from . import res_partner
from . import res_users
from . import sale_order
