from . import account_manager_revenue_report
from . import account_manager_xlsx
from . import report_account_plan
from . import report_account_status
from . import report_annual_forecast
from . import report_commission_statement
from . import report_quarterly_results

# isort: split
# the workbooks: they read the report models above
from . import account_status_xlsx
from . import annual_forecast_xlsx
from . import quarterly_results_xlsx
