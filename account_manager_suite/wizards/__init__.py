from . import account_manager_dispute_wizard
from . import account_manager_forecast
from . import account_manager_forecast_line
from . import account_manager_quarterly_report_wizard
from . import account_manager_reassign_wizard
from . import account_manager_settle_wizard
from . import account_manager_settle_wizard_line
