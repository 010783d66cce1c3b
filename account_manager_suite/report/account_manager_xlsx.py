from odoo import models


class AccountManagerXlsx(models.AbstractModel):
    """What the module's workbooks share."""

    _name = "report.account_manager_suite.xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Account Management Workbook"

    def get_workbook_options(self):
        # built in memory: xlsxwriter otherwise writes a temporary file per sheet, and a
        # quarterly workbook has a sheet per manager (hundreds in a large company)
        # strings stay strings: a typed name starting with "=" is no formula, "http://" no
        # link, whichever writer writes it (formula injection, CWE-1236)
        return {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
