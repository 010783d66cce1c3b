"""The demo's account management: account teams, account plans, accounts at risk."""

from datetime import timedelta

from markupsafe import Markup

from odoo import Command

from .common import _table

# account | member | role | note
TEAM = """
hansa      | clara      | backup    | Covers during Anna's absences
hansa      | director   | executive | Meets the board once a year
rheinblick | anna       | backup    |
rheinblick | accountant | other     | Invoicing and payment terms
nusantara  | dewi       | backup    |
nusantara  | director   | executive |
cahaya     | budi       | backup    | Knows the account from before the portfolio split
cahaya     | accountant | other     | Invoicing and payment terms
"""
AT_RISK = [
    {
        "ref": "nordlicht",
        "reason": "competitor",
        "note": "A competitor offered 12% lower rates on the Scandinavian routes; the "
        "contract renewal is due in two months.",
        "plan": "Prepare a volume-based price proposal and present it to the logistics "
        "director in a joint review.",
        "since": 9,
        "deadline": 10,
    },
    {
        "ref": "samudra",
        "reason": "payment",
        "note": "Several invoices are overdue; the CFO cites cash-flow problems after a "
        "lost charter contract.",
        "plan": "Agree on a payment plan with the CFO; no new deliveries above 10,000 "
        "until it is signed.",
        "since": 20,
        "deadline": 14,
    },
    {
        "ref": "elbtal",
        "reason": "delivery",
        "note": "Two late deliveries of sensor kits held up their construction site in "
        "Dresden-Neustadt.",
        "plan": "Weekly delivery status call until the backlog is cleared; expedite the "
        "open order; credit the delay penalties.",
        "since": 30,
        "deadline": 5,
    },
    {
        "ref": "bali",
        "reason": "unhappy",
        "note": "Complaints about the response times of the support hotline during high season.",
        "plan": "Name a dedicated support contact and hold a monthly service review with "
        "the general manager.",
        "since": 6,
        "deadline": 21,
    },
]
PLANS = [
    {
        "ref": "hansa",
        "name": "Hansa Maschinenbau: service partnership",
        "state": "active",
        "start": 120,
        "review": 20,
        "goals": "Cut unplanned downtime of the assembly lines by a third; one supplier "
        "for sensors and maintenance.",
        "winwin": "Hansa gets guaranteed response times; we become their only maintenance partner.",
        "objectives": "Renew the maintenance contract for three years; equip the second "
        "plant in Hamburg-Harburg.",
        # contact | role | influence | attitude
        "contacts": [
            ("Henrik Petersen", "Decision maker", "high", "supporter"),
            ("Maike Brandt", "Buyer", "medium", "neutral"),
        ],
        # action | owner | deadline (days from today) | state
        "actions": [
            ("Site survey of the Harburg plant", "anna", -60, "done"),
            ("Proposal for the three-year maintenance contract", "anna", -20, "done"),
            ("Executive meeting with the board", "director", 12, "open"),
            ("Pilot of the analytics licence on line 3", "clara", 30, "open"),
        ],
    },
    {
        "ref": "nusantara",
        "name": "PT Nusantara Logistik: fleet roll-out",
        "state": "active",
        "start": 200,
        "review": -5,
        "goals": "Track every truck of the fleet in real time before the expansion to Kalimantan.",
        "winwin": "A reference customer in Indonesia for us; lower fuel and repair costs for them.",
        "objectives": "Roll out sensor kits to the whole fleet in three waves; train the "
        "dispatchers.",
        "contacts": [
            ("Hendra Wijaya", "Decision maker", "high", "supporter"),
            ("Siti Rahmawati", "Buyer", "high", "neutral"),
        ],
        "actions": [
            ("Wave 1: 120 trucks in Jakarta", "budi", -90, "done"),
            ("Dispatcher training in Surabaya", "dewi", -25, "done"),
            ("Wave 2: the Kalimantan depots", "budi", 15, "open"),
            ("Review the payment terms for wave 3", "accountant", -3, "open"),
        ],
    },
    {
        "ref": "alpenblick",
        "name": "Alpenblick Hotels: energy monitoring",
        "state": "draft",
        "start": 10,
        "review": 60,
        "goals": "Measure the energy use of all five hotels and cut it by 15%.",
        "winwin": "They save energy costs; we sell monitoring as a yearly service.",
        "objectives": "A pilot in the München hotel, then the hotels in the mountains.",
        "contacts": [
            ("Florian Huber", "Decision maker", "high", "neutral"),
            ("Verena Maier", "User", "medium", "supporter"),
        ],
        "actions": [
            ("Workshop on the pilot scope with the operations team", "clara", 9, "open"),
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
