"""The demo's relationship: logged notes, check-ins, planned calls and assessments."""

from datetime import timedelta

from .account_management import AT_RISK
from .common import MODULE
from .common import _moment
from .common import _owner_on
from .ownership import HANDOVERS

# What the managers wrote, in their company's language (``CompanyDemo.code``).
NOTES = {
    "de": [
        "Quartalsgespräch mit {contact}: Mengen im Plan, nächstes Gespräch in drei Monaten.",
        "Telefonat mit {contact} über den Lieferplan für das nächste Quartal.",
        "Besuch in {city}: mit {contact} die Anlage besichtigt; zwei Rückfragen zum "
        "Wartungsvertrag.",
        "{contact} hat ein Angebot für zusätzliche Schulungen angefragt; es geht diese Woche raus.",
        "Mittagessen mit {contact}: Das Budget für nächstes Jahr wird geplant, unser Angebot "
        "soll rechtzeitig kommen.",
        "Die aktualisierte Preisliste an {contact} geschickt und die neuen Mengenrabatte erklärt.",
    ],
    "id": [
        "Tinjauan bisnis triwulanan dengan {contact}: volume sesuai rencana, tinjauan "
        "berikutnya tiga bulan lagi.",
        "Telepon dengan {contact} tentang jadwal pengiriman triwulan depan.",
        "Kunjungan ke {city}: meninjau instalasi bersama {contact}; dua pertanyaan lanjutan "
        "tentang kontrak pemeliharaan.",
        "{contact} meminta penawaran untuk pelatihan tambahan; dikirim minggu ini.",
        "Makan siang dengan {contact}: anggaran tahun depan sedang disusun, mereka ingin "
        "proposal kami tepat waktu.",
        "Mengirim daftar harga terbaru kepada {contact} dan menjelaskan diskon volume yang baru.",
    ],
}
DONE_FEEDBACK = {
    "de": [
        "{contact} erreicht: Alles läuft rund, keine offenen Punkte.",
        "{contact} hat die nächste Bestellung für den kommenden Monat bestätigt.",
        "Mit {contact} über den Rollout am zweiten Standort gesprochen; Folgetermin vereinbart.",
        "{contact} ist mit dem Service zufrieden und hat nach den neuen Analysefunktionen gefragt.",
    ],
    "id": [
        "Berhasil menghubungi {contact}: semuanya berjalan lancar, tidak ada masalah terbuka.",
        "{contact} mengonfirmasi pesanan berikutnya untuk bulan depan.",
        "Berbicara dengan {contact} tentang peluncuran di lokasi kedua; pertemuan lanjutan "
        "disepakati.",
        "{contact} puas dengan layanan kami dan menanyakan fitur analitik yang baru.",
    ],
}
HANDOVER_NOTE = {
    "de": "Erster Auftrag mit {contact} unterschrieben. Ich übergebe das Konto an {owner}; "
    "das Kick-off ist noch zu planen.",
    "id": "Pesanan pertama dengan {contact} sudah ditandatangani. Akun ini saya serahkan "
    "kepada {owner}; kick-off masih perlu dijadwalkan.",
}
SUMMARIES = {
    "de": {
        "checkin": "Kontakt mit {contact}",
        "kickoff": "Kick-off mit {account}",
        "followup": "Beim Angebot nachfassen",
    },
    "id": {
        "checkin": "Hubungi {contact}",
        "kickoff": "Kick-off dengan {account}",
        "followup": "Tindak lanjuti penawaran",
    },
}


class RelationshipDemo:
    """The contacts and assessments of one company's accounts (a part of
    :class:`CompanyDemo`)."""

    def contacts(self, partners, users, history, today, rng):
        """Logged notes and done activities, so that last contacts vary and some check-ins
        are overdue; the kick-off of the newest account and a few planned calls."""
        done = self._logged_notes(partners, users, history, today, rng)
        self._done_checkins(done, rng)
        self._planned_activities(partners, history, today)

    def _logged_notes(self, partners, users, history, today, rng):
        """The notes of past contacts on each account, oldest first, and the handover note
        of business development.

        :return: the last contacts to log as done activities instead,
            ``[(account, owner, day, contact name), ...]``
        """
        note_subtype = self.env.ref("mail.mt_note")
        done = []
        for ref, _name, _tier, _profile, _since, _owner, last in self.portfolio():
            account = partners[ref]
            first_day = history[ref][0][0]
            city = account.city
            contacts = account.child_ids
            if ref in HANDOVERS:
                account.message_post(
                    body=HANDOVER_NOTE[self.code].format(
                        contact=contacts[0].name, owner=history[ref][0][1].name
                    ),
                    message_type="comment",
                    subtype_id=note_subtype.id,
                    author_id=users["bizdev"].partner_id.id,
                    date=_moment(first_day, 9),
                )
            days = [int(last)]
            for _i in range(rng.randint(1, 3)):
                days.append(days[-1] + rng.randint(20, 75))
            for index, ago in enumerate(reversed(days)):
                day = today - timedelta(days=ago)
                if day <= first_day:
                    continue
                owner = _owner_on(history, ref, day)
                contact = rng.choice(contacts).name
                if index == len(days) - 1 and rng.random() < 0.6:
                    done.append((account, owner, day, contact))
                    continue
                account.message_post(
                    body=rng.choice(NOTES[self.code]).format(contact=contact, city=city),
                    message_type="comment",
                    subtype_id=note_subtype.id,
                    author_id=owner.partner_id.id,
                    date=_moment(day, rng.randint(8, 17)),
                )
        return done

    def _done_checkins(self, done, rng):
        """The ``done`` contacts as check-ins and calls marked done, on their day."""
        checkin = self.env.ref(f"{MODULE}.mail_activity_type_checkin")
        call = self.env.ref("mail.mail_activity_data_call")
        model_id = self.env["ir.model"]._get_id("res.partner")
        activities = self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": account.id,
                    "activity_type_id": (checkin if i % 2 else call).id,
                    "user_id": owner.id,
                    "date_deadline": day,
                    "summary": SUMMARIES[self.code]["checkin"].format(contact=contact),
                }
                for i, (account, owner, day, contact) in enumerate(done)
            ]
        )
        for activity, (_account, owner, day, contact) in zip(activities, done, strict=True):
            message = self.env["mail.message"].browse(
                activity.with_user(owner).action_feedback(
                    rng.choice(DONE_FEEDBACK[self.code]).format(contact=contact)
                )
            )
            # sudo: demo data only: the feedback just logged is back-dated to its day
            message.sudo().write({"date": _moment(day, rng.randint(8, 17))})

    def _planned_activities(self, partners, history, today):
        """The kick-off of the newest account and a follow-up call on each quotation."""
        newest = partners[self.handovers[-1]]
        kickoff_day = history[self.handovers[-1]][0][0] + timedelta(days=3)
        newest.activity_schedule(
            f"{MODULE}.mail_activity_type_kickoff",
            date_deadline=kickoff_day,
            summary=SUMMARIES[self.code]["kickoff"].format(account=newest.name),
            user_id=newest.account_manager_id.id,
        )
        quotations = self.env["sale.order"].search(
            [("partner_id", "in", [p.id for p in partners.values()]), ("state", "=", "sent")]
        )
        for index, order in enumerate(quotations):
            order.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=today + timedelta(days=1 + index % 6),
                summary=SUMMARIES[self.code]["followup"],
                user_id=order.user_id.id,
            )

    def assessments(self, partners, history, today, rng):
        """Two or three customer assessments per account over the last year, by its owner
        of the day; the accounts at risk were found unhappy when they were flagged."""
        at_risk = {risk["ref"]: risk for risk in AT_RISK}
        vals_list = []
        for ref in history:
            days = sorted(rng.sample(range(100, 360), rng.choice((2, 3))), reverse=True)
            if ref in at_risk:
                days.append(at_risk[ref]["since"])
            for ago in days:
                day = today - timedelta(days=ago)
                if day < history[ref][0][0]:
                    continue
                unhappy = ref in at_risk and ago == at_risk[ref]["since"]
                vals_list.append(
                    {
                        "partner_id": partners[ref].id,
                        "date": day,
                        "user_id": _owner_on(history, ref, day).id,
                        "occasion": "issue" if unhappy else rng.choice(("checkin", "review")),
                        "satisfaction": rng.choice(("1", "2"))
                        if unhappy
                        else rng.choice(("3", "4", "4", "5", "5")),
                        "relationship": rng.choice(("strained", "neutral"))
                        if unhappy
                        else rng.choice(("neutral", "good", "good", "strong")),
                        "note": at_risk[ref]["note"] if unhappy else False,
                    }
                )
        self.env["account.manager.assessment"].create(vals_list)
