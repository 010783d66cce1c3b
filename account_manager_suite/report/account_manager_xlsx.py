from typing import Any
from typing import NamedTuple

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import models

from .xlsx_formats import write_text

# cell format of a column's rows and of its total, by kind of figure (see xlsx_formats)
_FORMATS = {
    "money": ("money", "money_bold"),
    "percent": ("percent", "percent_bold"),
    "count": ("count", "count_bold"),
    "rating": ("rating", "rating_bold"),
    "date": ("date", "date"),
    "number": (None, "bold"),
    "text": (None, "bold"),
}


class Column(NamedTuple):
    """One column of a workbook table.

    :param key: the row's key of the value (and the name by which formulas refer to it)
    :param label: the translated header
    :param width: the column width, in characters
    :param kind: money, percent, count, rating, date, number or text (the cell format)
    :param formula: a formula of the row, cells named by key in braces, e.g.
        ``"=IF({quota}=0,0,{actual}/{quota})"``; the row's value is its cached result
    :param total: ``"sum"`` (a SUM of the column), ``"value"`` (the table's total written
        as a number) or a formula of the total row in the same notation; None: no total
    :param value: how to read the value from the row, when it is not ``row[key]``
    """

    key: str
    label: str
    width: int
    kind: str = "text"
    formula: str | None = None
    total: str | None = None
    value: Any = None

    def of(self, row):
        return self.value(row) if self.value else row[self.key]


class AccountManagerXlsx(models.AbstractModel):
    """What the module's workbooks share: the workbook options and one writer of tables
    (headers, rows, formulas, totals and formats) driven by column specs."""

    _name = "report.account_manager_suite.xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Account Management Workbook"

    def get_workbook_options(self):
        # built in memory: xlsxwriter otherwise writes a temporary file per sheet, and a
        # quarterly workbook has a sheet per manager (hundreds in a large company)
        # strings stay strings: a typed name starting with "=" is no formula, "http://" no
        # link, whichever writer writes it (formula injection, CWE-1236)
        return {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}

    def _write_table(
        self, sheet, formats, columns, rows, top, totals=None, total_label=None, header_height=30
    ):
        """Write a header at row ``top`` (``header_height`` points: two lines of text), the
        ``rows`` below it and, with ``total_label``, a total row; return the indexes of the
        first and last data rows.

        Totals are formulas with their results cached (``totals[key]``, else the sum of the
        column): viewers that do not recalculate on load show the same figures as the PDF.
        """
        if header_height:
            sheet.set_row(top, header_height)
        for col, column in enumerate(columns):
            sheet.write(top, col, column.label, formats["header"])
            sheet.set_column(col, col, column.width)
        first = top + 1
        for offset, row in enumerate(rows):
            self._write_row(sheet, formats, columns, first + offset, row)
        last = first + len(rows) - 1
        if total_label is not None:
            self._write_total(sheet, formats, columns, rows, (first, last), totals or {})
            sheet.write(last + 1, 0, total_label, formats.get("total_label", formats["bold"]))
        return first, last

    def _write_row(self, sheet, formats, columns, r, row):
        cells = {column.key: xl_rowcol_to_cell(r, col) for col, column in enumerate(columns)}
        for col, column in enumerate(columns):
            value = column.of(row)
            fmt = formats.get(_FORMATS[column.kind][0])
            if column.formula:
                sheet.write_formula(r, col, column.formula.format(**cells), fmt, value)
            elif value is None or value is False:
                continue
            elif column.kind == "date":
                sheet.write_datetime(r, col, value, fmt)
            elif column.kind == "text":
                write_text(sheet, r, col, value, fmt)
            else:
                sheet.write_number(r, col, value, fmt)

    def _write_total(self, sheet, formats, columns, rows, span, totals):
        first, last = span
        r = last + 1
        cells = {column.key: xl_rowcol_to_cell(r, col) for col, column in enumerate(columns)}
        for col, column in enumerate(columns):
            fmt = formats.get(_FORMATS[column.kind][1])
            if column.total == "sum":
                letter = xl_col_to_name(col)
                cached = totals.get(column.key)
                if cached is None:
                    cached = sum(column.of(row) for row in rows)
                formula = f"=SUM({letter}{first + 1}:{letter}{last + 1})"
                sheet.write_formula(r, col, formula, fmt, cached)
            elif column.total == "value":
                if totals.get(column.key) is not None:
                    sheet.write_number(r, col, totals[column.key], fmt)
            elif column.total:
                sheet.write_formula(r, col, column.total.format(**cells), fmt, totals[column.key])
