from . import account_manager_revenue_report
from . import account_manager_xlsx
from . import account_status_xlsx
from . import annual_forecast_xlsx
from . import quarterly_results_xlsx
