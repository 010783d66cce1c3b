"""The demo's account management: account teams, account plans, accounts at risk."""

from datetime import timedelta

from markupsafe import Markup

from odoo import Command

from .common import _table

# Each row belongs to one company's account: written in that company's language.
# account | member | role | note
TEAM = """
hansa      | clara      | backup    | Vertritt Anna während ihrer Abwesenheiten
hansa      | director   | executive | Trifft den Vorstand einmal im Jahr
rheinblick | anna       | backup    |
rheinblick | accountant | other     | Rechnungen und Zahlungsbedingungen
nusantara  | dewi       | backup    |
nusantara  | director   | executive |
cahaya     | budi       | backup    | Mengenal akun ini sejak sebelum portofolio dibagi
cahaya     | accountant | other     | Faktur dan syarat pembayaran
"""
AT_RISK = [
    {
        "ref": "nordlicht",
        "reason": "competitor",
        "note": "Ein Wettbewerber hat auf den Skandinavien-Routen 12 % niedrigere Preise "
        "angeboten; die Vertragsverlängerung steht in zwei Monaten an.",
        "plan": "Ein mengenbasiertes Preisangebot vorbereiten und dem Logistikleiter in einem "
        "gemeinsamen Gespräch vorstellen.",
        "since": 9,
        "deadline": 10,
    },
    {
        "ref": "samudra",
        "reason": "payment",
        "note": "Beberapa faktur sudah lewat jatuh tempo; CFO menyebut masalah arus kas "
        "setelah kehilangan kontrak carter.",
        "plan": "Sepakati rencana pembayaran dengan CFO; tidak ada pengiriman baru di atas "
        "Rp 180 juta sampai rencana itu ditandatangani.",
        "since": 20,
        "deadline": 14,
    },
    {
        "ref": "elbtal",
        "reason": "delivery",
        "note": "Zwei verspätete Lieferungen von Sensorkits haben ihre Baustelle in "
        "Dresden-Neustadt aufgehalten.",
        "plan": "Wöchentlicher Termin zum Lieferstatus, bis der Rückstand abgebaut ist; den "
        "offenen Auftrag beschleunigen; die Verzugsstrafen gutschreiben.",
        "since": 30,
        "deadline": 5,
    },
    {
        "ref": "bali",
        "reason": "unhappy",
        "note": "Keluhan tentang waktu respons hotline dukungan selama musim ramai.",
        "plan": "Tunjuk kontak dukungan khusus dan adakan tinjauan layanan bulanan bersama "
        "general manager.",
        "since": 6,
        "deadline": 21,
    },
]
PLANS = [
    {
        "ref": "hansa",
        "name": "Hansa Maschinenbau: Servicepartnerschaft",
        "state": "active",
        "start": 120,
        "review": 20,
        "goals": "Ungeplante Stillstände der Montagelinien um ein Drittel senken; ein "
        "Lieferant für Sensoren und Wartung.",
        "winwin": "Hansa bekommt garantierte Reaktionszeiten; wir werden ihr einziger "
        "Wartungspartner.",
        "objectives": "Den Wartungsvertrag um drei Jahre verlängern; das zweite Werk in "
        "Hamburg-Harburg ausstatten.",
        # contact | role | influence | attitude
        "contacts": [
            ("Henrik Petersen", "Entscheider", "high", "supporter"),
            ("Maike Brandt", "Einkauf", "medium", "neutral"),
        ],
        # action | owner | deadline (days from today) | state
        "actions": [
            ("Begehung des Werks Harburg", "anna", -60, "done"),
            ("Angebot für den dreijährigen Wartungsvertrag", "anna", -20, "done"),
            ("Termin mit dem Vorstand", "director", 12, "open"),
            ("Pilot der Analyse-Lizenz an Linie 3", "clara", 30, "open"),
        ],
    },
    {
        "ref": "nusantara",
        "name": "PT Nusantara Logistik: peluncuran armada",
        "state": "active",
        "start": 200,
        "review": -5,
        "goals": "Melacak setiap truk armada secara langsung sebelum ekspansi ke Kalimantan.",
        "winwin": "Pelanggan referensi di Indonesia bagi kami; biaya bahan bakar dan perbaikan "
        "yang lebih rendah bagi mereka.",
        "objectives": "Memasang paket sensor di seluruh armada dalam tiga gelombang; melatih "
        "para dispatcher.",
        "contacts": [
            ("Hendra Wijaya", "Pengambil keputusan", "high", "supporter"),
            ("Siti Rahmawati", "Pembeli", "high", "neutral"),
        ],
        "actions": [
            ("Gelombang 1: 120 truk di Jakarta", "budi", -90, "done"),
            ("Pelatihan dispatcher di Surabaya", "dewi", -25, "done"),
            ("Gelombang 2: depo-depo Kalimantan", "budi", 15, "open"),
            ("Tinjau syarat pembayaran untuk gelombang 3", "accountant", -3, "open"),
        ],
    },
    {
        "ref": "alpenblick",
        "name": "Alpenblick Hotels: Energiemonitoring",
        "state": "draft",
        "start": 10,
        "review": 60,
        "goals": "Den Energieverbrauch aller fünf Hotels messen und um 15 % senken.",
        "winwin": "Sie sparen Energiekosten; wir verkaufen das Monitoring als Jahresservice.",
        "objectives": "Ein Pilot im Münchner Hotel, danach die Hotels in den Bergen.",
        "contacts": [
            ("Florian Huber", "Entscheider", "high", "neutral"),
            ("Verena Maier", "Anwenderin", "medium", "supporter"),
        ],
        "actions": [
            ("Workshop zum Pilotumfang mit dem Betriebsteam", "clara", 9, "open"),
        ],
    },
]


class AccountManagementDemo:
    """The account teams, plans and risks of one company (a part of :class:`CompanyDemo`)."""

    def account_management(self, partners, users, today):
        """Account teams, account plans and the accounts at risk."""
        self._account_teams(partners, users)
        self._account_plans(partners, users, today)
        self._accounts_at_risk(partners, today)

    def _account_teams(self, partners, users):
        """The members of the account teams (TEAM) beside the account manager."""
        self.env["account.manager.team.member"].create(
            [
                {
                    "partner_id": partners[ref].id,
                    "user_id": users[member].id,
                    "role": role,
                    "note": note or False,
                }
                for ref, member, role, note in _table(TEAM)
                if ref in self.refs
            ]
        )

    def _account_plans(self, partners, users, today):
        """The account plans (PLANS) with their contacts and actions."""
        self.env["account.manager.account.plan"].create(
            [
                {
                    "name": plan["name"],
                    "partner_id": partners[plan["ref"]].id,
                    "state": plan["state"],
                    "date_start": today - timedelta(days=plan["start"]),
                    "review_date": today + timedelta(days=plan["review"]),
                    "customer_goals": Markup("<p>%s</p>") % plan["goals"],
                    "value_proposition": Markup("<p>%s</p>") % plan["winwin"],
                    "objectives": Markup("<p>%s</p>") % plan["objectives"],
                    "contact_ids": [
                        Command.create(
                            {
                                "partner_id": partners[plan["ref"]]
                                .child_ids.filtered(lambda c, n=name: c.name == n)
                                .id,
                                "role": role,
                                "influence": influence,
                                "attitude": attitude,
                            }
                        )
                        for name, role, influence, attitude in plan["contacts"]
                    ],
                    "action_ids": [
                        Command.create(
                            {
                                "name": action,
                                "user_id": users[owner].id,
                                "date_deadline": today + timedelta(days=deadline),
                                "state": state,
                            }
                        )
                        for action, owner, deadline, state in plan["actions"]
                    ],
                }
                for plan in PLANS
                if plan["ref"] in self.refs
            ]
        )

    def _accounts_at_risk(self, partners, today):
        """The accounts at risk (AT_RISK), flagged the day they were found at risk."""
        for risk in AT_RISK:
            if risk["ref"] not in self.refs:
                continue
            account = partners[risk["ref"]]
            account.write(
                {
                    "at_risk": True,
                    "at_risk_reason": risk["reason"],
                    "at_risk_note": risk["note"],
                    "remediation_plan": risk["plan"],
                    "remediation_deadline": today + timedelta(days=risk["deadline"]),
                }
            )
            account.at_risk_since = today - timedelta(days=risk["since"])
