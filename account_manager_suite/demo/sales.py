"""The demo's sales and accounting: products, orders, invoices, credit notes, payments."""

from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command

from .common import _moment
from .common import _owner_on
from .common import _table
from .common import _xmlids
from .ownership import HANDOVERS

# code | product type | list price (EUR) | name in German | name in Indonesian
PRODUCTS = """
maintenance | service | 4800 | Jährlicher Wartungsvertrag        | Kontrak Pemeliharaan Tahunan
consulting  | service | 1150 | Beratungstag                      | Hari Konsultasi
licence     | service | 390  | Flottenanalyse-Lizenz (Platz/Jahr) | Lisensi Analitik Armada (per kursi/tahun)
sensor      | consu   | 845  | Industrie-Sensorkit               | Paket Sensor Industri
training    | service | 2150 | Schulung vor Ort                  | Lokakarya Pelatihan di Tempat
spares      | consu   | 265  | Ersatzteilpaket                   | Paket Suku Cadang
"""  # noqa: E501
# tier: days between invoices, typical invoice amount (EUR), products invoiced, payment terms
TIER_BILLING = {
    "key": (30, 14000, ("maintenance", "consulting", "licence"), "45days"),
    "strategic": (60, 7000, ("licence", "consulting", "sensor"), "30days"),
    "standard": (105, 3000, ("sensor", "training", "spares"), "30days"),
    "small": (170, 1000, ("spares", "consulting", "sensor"), "15days"),
}
# account | invoices back | share credited (%) | reason (in the account's company's language)
CREDIT_NOTES = """
elbtal     | 1  | 15 | Verzugsstrafe: verspätete Lieferung der Sensorkits
elbtal     | 3  | 10 | Verzugsstrafe: Baustelle Dresden-Neustadt
nordlicht  | 2  | 8  | Preisanpassung aus der Tarifrunde
bali       | 1  | 20 | Kredit layanan: waktu respons hotline di musim ramai
vanderberg | 5  | 25 | Retoure: zwei Paletten beim Transport beschädigt
hansa      | 12 | 5  | Rechnungsfehler: Beratungstag doppelt berechnet
"""
# account | days ago | state (sale: confirmed) | salesperson (-: the owner) | products
ORDERS = """
hansa      | 6  | sale  | -      | consulting 4, training 1
rheinblick | 15 | sale  | -      | licence 25, consulting 2
nusantara  | 9  | sale  | -      | sensor 18, maintenance 1
mainufer   | 21 | sale  | -      | licence 12
sentosa    | 4  | sale  | -      | sensor 10, training 1
cahaya     | 30 | sale  | -      | consulting 3
spreewald  | 11 | sale  | -      | sensor 3
alpina     | 18 | sale  | -      | sensor 5, spares 4
ruhrstahl  | 3  | sent  | -      | maintenance 1, consulting 2
nordlicht  | 8  | sent  | -      | licence 15
alpenblick | 14 | draft | -      | sensor 6, training 1
sinarjaya  | 5  | sent  | -      | sensor 12
andalan    | 2  | draft | -      | licence 20, consulting 1
bali       | 10 | sent  | -      | training 2
fjord      | 20 | draft | -      | spares 8
samudra    | 25 | sent  | -      | maintenance 1
kieler     | 6  | sent  | bizdev | sensor 8, consulting 2
merapi     | 2  | draft | bizdev | sensor 4, training 1
"""


class SalesDemo:
    """The products, orders and books of one company (a part of :class:`CompanyDemo`)."""

    def products(self, company):
        """The company's products, named in its language, priced in its currency."""
        rows = _table(PRODUCTS)
        german = company.partner_id.lang == "de_DE" or self.code == "de"
        templates = self.env["product.template"].create(
            [
                {
                    "name": name_de if german else name_id,
                    "type": kind,
                    "list_price": self.money(float(price)),
                    "standard_price": self.money(float(price) * 0.55),
                    "invoice_policy": "order",
                    "company_id": company.id,
                }
                for _code, kind, price, name_de, name_id in rows
            ]
        )
        _xmlids(
            self.env,
            {
                f"demo_product_{row[0]}_{self.code}": tmpl
                for row, tmpl in zip(rows, templates, strict=True)
            },
        )
        return {row[0]: tmpl.product_variant_id for row, tmpl in zip(rows, templates, strict=True)}

    def orders(self, partners, products, users, history, today):
        """Confirmed orders, open quotations, and the first orders of the handed-over
        accounts (confirmed by business development, invoiced when older than two weeks)."""
        rows = [
            (
                ref,
                str((today - history[ref][0][0]).days),
                "sale",
                "bizdev",
                "consulting 2, sensor 4",
            )
            for ref in self.handovers
        ] + [row for row in _table(ORDERS) if row[0] in self.refs]
        vals_list = []
        for ref, days, _state, salesperson, lines in rows:
            day = today - timedelta(days=int(days))
            seller = users[salesperson] if salesperson != "-" else _owner_on(history, ref, day)
            vals_list.append(
                {
                    "partner_id": partners[ref].id,
                    "pricelist_id": self.pricelist.id,
                    "user_id": seller.id,
                    "date_order": _moment(day),
                    "validity_date": day + relativedelta(months=1),
                    "order_line": [
                        Command.create(
                            {"product_id": products[code].id, "product_uom_qty": int(qty)}
                        )
                        for code, qty in (line.split() for line in lines.split(","))
                    ],
                }
            )
        orders = self.env["sale.order"].create(vals_list)
        by_state = defaultdict(lambda: self.env["sale.order"])
        for order, row in zip(orders, rows, strict=True):
            by_state[row[2]] |= order
        by_state["sent"].action_quotation_sent()
        by_state["sale"].action_confirm()
        # Confirming dates an order today: put each back on the day it was won.
        for order, row in zip(orders, rows, strict=True):
            if row[2] == "sale":
                order.date_order = _moment(today - timedelta(days=int(row[1])))
        won = orders[: len(self.handovers)].filtered(
            lambda o: o.date_order.date() < today - timedelta(days=14)
        )
        invoices = won._create_invoices()
        for invoice in invoices:
            order = invoice.line_ids.sale_line_ids.order_id
            invoice.invoice_date = order.date_order.date() + timedelta(days=5)
        return invoices

    # ------------------------------------------------------------------ accounting

    def invoices(self, partners, products, history, today, rng, drafts):
        """Customer invoices over the last two years by tier and profile, posted in date
        order with the ``drafts`` invoiced from orders; then the credit notes, reconciled
        with the invoice they correct."""
        vals_list = self._invoice_vals(partners, products, history, today, rng)
        vals_list.sort(key=lambda vals: vals["invoice_date"])
        invoices = self.env["account.move"].create(vals_list) | drafts
        invoices.action_post()
        self._credit_notes(partners, invoices, today)

    def _invoice_vals(self, partners, products, history, today, rng):
        """The values of the customer invoices of every account, account by account."""
        start = today - relativedelta(years=2)
        terms = {
            code: self.env.ref(f"account.account_payment_term_{code}")
            for code in {t[3] for t in TIER_BILLING.values()}
        }
        vals_list = []
        for ref, _name, tier, profile, _since, _owner, _last in self.portfolio():
            every, amount, codes, term = TIER_BILLING[tier]
            amount = self.money(amount)
            # handed-over accounts start with the invoice of the order that won them
            wait = every if ref in HANDOVERS else 7
            first = max(start, history[ref][0][0] + timedelta(days=wait))
            day = first + timedelta(days=rng.randint(0, every // 2))
            end = today - timedelta(days=240 if profile == "churning" else 2)
            scale = rng.uniform(0.7, 1.4)
            while day <= end:
                age = (day - start).days / (today - start).days  # 0 two years ago, 1 today
                trend = {"growing": 0.6 + 0.8 * age, "declining": 1.4 - 0.8 * age}.get(profile, 1)
                target = amount * scale * trend * rng.uniform(0.8, 1.2)
                main, extra = rng.sample(codes, 2)
                shares = [(main, 0.7), (extra, 0.3)] if target > self.money(2000) else [(main, 1.0)]
                vals_list.append(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partners[ref].id,
                        "invoice_date": day,
                        "invoice_payment_term_id": terms[term].id,
                        "invoice_user_id": _owner_on(history, ref, day).id,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": products[code].id,
                                    "quantity": max(
                                        1, int(target * share / products[code].lst_price + 0.5)
                                    ),
                                }
                            )
                            for code, share in shares
                        ],
                    }
                )
                day += timedelta(days=every + rng.randint(-every // 6, every // 6))
        return vals_list

    def _credit_notes(self, partners, invoices, today):
        """The credit notes of CREDIT_NOTES on the posted ``invoices``, posted and
        reconciled with the invoice they correct."""
        Move = self.env["account.move"]
        by_partner = defaultdict(list)
        for invoice in invoices.sorted("invoice_date"):
            by_partner[invoice.partner_id.id].append(invoice)
        corrected, refund_vals = [], []
        for ref, back, share, reason in _table(CREDIT_NOTES):
            if ref not in self.refs:
                continue
            invoice = by_partner[partners[ref].id][-int(back)]
            line = invoice.invoice_line_ids[0]
            corrected.append(invoice)
            refund_vals.append(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "invoice_date": min(invoice.invoice_date + timedelta(days=12), today),
                    "invoice_user_id": invoice.invoice_user_id.id,
                    "reversed_entry_id": invoice.id,
                    "ref": reason,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "name": reason,
                                "quantity": 1,
                                "price_unit": invoice.currency_id.round(
                                    invoice.amount_untaxed * int(share) / 100
                                ),
                            }
                        )
                    ],
                }
            )
        refunds = Move.create(refund_vals)
        refunds.action_post()
        for refund, invoice in zip(refunds, corrected, strict=True):
            (refund.line_ids + invoice.line_ids).filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
                and not line.reconciled
            ).reconcile()

    def payments(self, partners, today, rng):
        """Customers pay in the payment runs on the 15th and at the end of the month: most
        within the payment terms, some late, late payers months late or not yet. One batch
        of payments, reconciled with their invoices in one reconciliation plan."""
        profiles = {partners[row[0]].id: row[3] for row in self.portfolio()}
        invoices = self.env["account.move"].search(
            [
                ("partner_id", "in", list(profiles)),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ],
            order="invoice_date, id",
        )
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.env.company.id)], limit=1
        )
        method = journal.inbound_payment_method_line_ids[:1]
        paid, vals_list = [], []
        for invoice in invoices:
            if profiles[invoice.partner_id.id] == "late":
                if invoice.invoice_date > today - timedelta(days=150):
                    continue
                delay = rng.randint(55, 110)
            elif rng.random() < 0.75:
                delay = rng.randint(5, 30)
            else:
                delay = rng.randint(31, 60)
            day = invoice.invoice_date + timedelta(days=delay)
            run = day.replace(day=15) if day.day <= 15 else day + relativedelta(day=31)
            if run >= today:
                continue
            paid.append(invoice)
            vals_list.append(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": invoice.commercial_partner_id.id,
                    "amount": invoice.amount_residual,
                    "currency_id": invoice.currency_id.id,
                    "date": run,
                    "journal_id": journal.id,
                    "payment_method_line_id": method.id,
                    "memo": invoice.name,
                    "invoice_ids": [Command.set(invoice.ids)],
                }
            )
        payments = self.env["account.payment"].create(vals_list)
        payments.action_post()
        plan = []
        for payment, invoice in zip(payments, paid, strict=True):
            plan.append(
                (payment.move_id.line_ids + invoice.line_ids).filtered(
                    lambda line: line.account_id.account_type == "asset_receivable"
                    and not line.reconciled
                )
            )
        self.env["account.move.line"]._reconcile_plan(plan)
