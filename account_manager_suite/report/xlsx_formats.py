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
