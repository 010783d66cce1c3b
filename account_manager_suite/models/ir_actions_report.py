import lxml.html
from lxml import etree
from markupsafe import Markup

from odoo import models

from ..const import MODULE


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _prepare_html(self, html, report_model=False):
        """The module's PDF reports over a selection print as one document.

        Odoo hands wkhtmltopdf one HTML body per record; the wkhtmltopdf Debian ships
        (built on an unpatched Qt) exits with an error on several bodies, so that
        printing the status of a few accounts fails there. Our reports put the records'
        pages in one body instead, each record starting on a new page.
        """
        bodies, res_ids, header, footer, paperformat_args = super()._prepare_html(
            html, report_model=report_model
        )
        if len(bodies) > 1 and (self.report_name or "").startswith(f"{MODULE}."):
            bodies = [self._ams_one_body(bodies)]
        return bodies, res_ids, header, footer, paperformat_args

    def _ams_one_body(self, bodies):
        """The first body with the content of the others appended, a page break before
        each record."""
        document = lxml.html.document_fromstring(str(bodies[0]))
        for body in bodies[1:]:
            etree.SubElement(document.body, "div", style="page-break-before: always;")
            for node in lxml.html.document_fromstring(str(body)).body:
                document.body.append(node)
        return Markup(lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>"))
