"""Pictures of the real reports for the README: PDF (wkhtmltopdf) and XLSX (LibreOffice)
pages turned into PNG. Needs a running Odoo on the demo database (`make run`), `pdftoppm`
(poppler-utils) and `libreoffice` (libreoffice-calc-nogui).

    .venv/bin/python tools/report_pictures.py http://localhost:8069 ams_demo admin admin

Creates the report wizards over JSON-RPC (last complete quarter, this year's forecast, an
account of the portfolio), downloads each report as Odoo serves it and writes
docs/screenshots/report_*.png.
"""

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
MODULE = "account_manager_suite"


class Client:
    def __init__(self, base, db, login, password):
        self.base = base
        self.session = requests.Session()
        self.call("/web/session/authenticate", {"db": db, "login": login, "password": password})

    def call(self, path, params):
        response = self.session.post(
            f"{self.base}{path}", json={"jsonrpc": "2.0", "params": params}, timeout=600
        )
        response.raise_for_status()
        payload = response.json()
        if payload.get("error"):
            raise SystemExit(payload["error"]["data"]["message"])
        return payload["result"]

    def call_kw(self, model, method, args, kwargs=None):
        return self.call(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def download(self, kind, report, ids):
        url = f"{self.base}/report/{kind}/{MODULE}.{report}/{','.join(map(str, ids))}"
        response = self.session.get(url, timeout=600)
        response.raise_for_status()
        return response.content


def pdf_to_png(pdf, name, page=1, resolution=70):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(resolution), "-f", str(page), "-l", str(page),
             "-singlefile", str(path), str(OUT / name)],
            check=True,
        )  # fmt: skip
    print(f"wrote {OUT / name}.png")


def xlsx_to_png(xlsx, name):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.xlsx"
        path.write_bytes(xlsx)
        subprocess.run(
            ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(path)],
            check=True,
            capture_output=True,
        )
        pdf_to_png((Path(tmp) / "report.pdf").read_bytes(), name, resolution=110)


def main(base, db, login, password):
    client = Client(base, db, login, password)
    today = date.today()
    quarter = (today.month - 1) // 3  # the last complete quarter
    year = today.year if quarter else today.year - 1
    quarter = quarter or 4
    wizard = client.call_kw(
        "account.manager.quarterly.report.wizard",
        "create",
        [{"year": year, "quarter": str(quarter)}],
    )
    forecast = client.call_kw("account.manager.forecast", "create", [{"year": today.year}])
    client.call_kw("account.manager.forecast", "action_compute", [[forecast]])
    accounts = client.call_kw(
        "res.partner",
        "search",
        [[("account_manager_id", "!=", False), ("is_company", "=", True)]],
        {"limit": 1},
    )
    pdf_to_png(client.download("pdf", "report_quarterly_results", [wizard]), "report_quarterly_pdf")
    xlsx_to_png(
        client.download("xlsx", "quarterly_results_xlsx", [wizard]), "report_quarterly_xlsx"
    )
    pdf_to_png(client.download("pdf", "report_annual_forecast", [forecast]), "report_forecast_pdf")
    xlsx_to_png(client.download("xlsx", "annual_forecast_xlsx", [forecast]), "report_forecast_xlsx")
    pdf_to_png(client.download("pdf", "report_account_status", accounts), "report_status_pdf")
    xlsx_to_png(client.download("xlsx", "account_status_xlsx", accounts), "report_status_xlsx")


if __name__ == "__main__":
    main(*sys.argv[1:5])
