"""The demo's ownership: who owned each account when, and the assignment rules."""

from collections import defaultdict
from datetime import timedelta

from odoo import Command

from .common import MODULE
from .common import _table
from .customers import TIERS

# Won by business development, handed over the day their first order was confirmed.
HANDOVERS = ("lioncity", "andalan", "vogt", "ostsee")
# days ago | new owner | reason | note (the company's language) | accounts
REASSIGNMENTS = """
330 | dewi  | reassignment | Pembagian portofolio: Dewi Lestari bergabung dengan kantor Jakarta | bumihijau batik kopi bali cahaya
240 | anna  | manual | Anna Becker übernimmt die Energiekunden | harzer
150 | clara | reassignment | Regionale Aufteilung: Süddeutschland geht an Clara Wagner | alpenblick schwarzwald bodensee isar allgaeu
60  | anna  | manual | Der Kunde wünscht sich einen deutschsprachigen Ansprechpartner | alpina
"""  # noqa: E501
HANDOVER_REASON = {
    "de": "Vom Business Development gewonnen",
    "id": "Dimenangkan oleh business development",
}
# company | name | sequence | method | tiers | countries | account manager | candidates
RULES = """
de | Schlüsselkunden in Deutschland         | 10 | fixed        | key | de | anna |
de | Alle anderen: geringste Auslastung     | 30 | least_loaded |     |    |      | anna clara
id | Indonesia: bergiliran                  | 20 | round_robin  |     | id |      | budi dewi
id | Lainnya: beban kerja paling ringan     | 30 | least_loaded |     |    |      | budi dewi
"""


class OwnershipDemo:
    """The ownership history and assignment rules of one company (a part of
    :class:`CompanyDemo`)."""

    def ownership(self, partners, users, today):
        """The ownership history, in date order, through ``_set_account_manager``.

        :return: ``{ref: [(date_from, user), ...]}`` oldest first
        """
        events = defaultdict(list)
        for ref, _name, _tier, _profile, since, owner, _last in self.portfolio():
            if ref in HANDOVERS:
                key = ("handover", HANDOVER_REASON[self.code])
            else:
                key = ("initial", "")
            events[(today - timedelta(days=int(since)), owner, *key)].append(ref)
        for days, owner, reason, note, refs in _table(REASSIGNMENTS):
            mine = [ref for ref in refs.split() if ref in self.refs]
            if mine:
                events[(today - timedelta(days=int(days)), owner, reason, note)].extend(mine)
        history = defaultdict(list)
        for (day, owner, reason, note), refs in sorted(events.items()):
            accounts = self.env["res.partner"].browse([partners[ref].id for ref in refs])
            accounts._set_account_manager(
                users[owner], day, reason=reason, note=note or False, force=True
            )
            for ref in refs:
                history[ref].append((day, users[owner]))
        self.env["res.partner"].browse([partners[ref].id for ref in self.handovers]).write(
            {"user_id": users["bizdev"].id}
        )
        return history

    def rules(self, users, company):
        """One assignment rule per method."""
        tiers = {key: self.env.ref(f"{MODULE}.tier_{key}") for key in TIERS}
        self.env["account.manager.assignment.rule"].create(
            [
                {
                    "name": name,
                    "sequence": int(sequence),
                    "method": method,
                    "company_id": company.id,
                    "tier_ids": [Command.set([tiers[t].id for t in tier_refs.split()])],
                    "country_ids": [
                        Command.set([self.env.ref(f"base.{c}").id for c in countries.split()])
                    ],
                    "user_id": users[user].id if user else False,
                    "user_ids": [Command.set([users[u].id for u in candidates.split()])],
                }
                for code, name, sequence, method, tier_refs, countries, user, candidates in _table(
                    RULES
                )
                if code == self.code
            ]
        )
