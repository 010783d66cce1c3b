def add_formats(report, workbook, currency):
    """The cell formats the module's workbooks share: amounts in ``currency`` (plain and
    bold), percentages, counts, ratings out of 5, dates, bold text, column headers and
    sheet titles."""
    money = report._report_xlsx_currency_format(currency)
    return {
        "money": workbook.add_format({"num_format": money}),
        "money_bold": workbook.add_format({"num_format": money, "bold": True}),
        "percent": workbook.add_format({"num_format": "0.0%"}),
        "percent_bold": workbook.add_format({"num_format": "0.0%", "bold": True}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "count": workbook.add_format({"num_format": "#,##0"}),
        "count_bold": workbook.add_format({"num_format": "#,##0", "bold": True}),
        # an average on a 1-5 scale, e.g. "4.2 / 5"
        "rating": workbook.add_format({"num_format": '0.0" / 5"'}),
        "rating_bold": workbook.add_format({"num_format": '0.0" / 5"', "bold": True}),
        "bold": workbook.add_format({"bold": True}),
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
    }


def write_text(sheet, row, col, value, cell_format=None):
    """Write what users typed (names, notes, reasons) as text: ``sheet.write`` would turn a
    text starting with ``=`` into a formula (``=HYPERLINK(…)`` in a customer's name), one
    starting with ``http://`` into a link. Numbers and empty values are written as such."""
    if isinstance(value, str):
        return sheet.write_string(row, col, value, cell_format)
    return sheet.write(row, col, value, cell_format)


def sheet_name(workbook, text):
    """A worksheet name from a typed name: without the characters Excel refuses
    (``[]:*?/\\``), no apostrophe at either end, at most 31 characters, unique in
    ``workbook`` (xlsxwriter raises on any of these, and the whole report fails)."""
    base = "".join(" " if char in "[]:*?/\\" else char for char in text).strip("' ")[:31]
    base = base or "-"
    taken = {sheet.name.lower() for sheet in workbook.worksheets()}
    name, number = base, 1
    while name.lower() in taken:
        number += 1
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
    return name
