from . import quarterly_results_xlsx
