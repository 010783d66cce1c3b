"""The demo's relationship: logged notes, check-ins, planned calls and assessments."""

from datetime import timedelta

from .account_management import AT_RISK
from .common import MODULE
from .common import _moment
from .common import _owner_on
from .ownership import HANDOVERS

NOTES = [
    "Quarterly business review with {contact}: volumes on plan, next review in three months.",
    "Call with {contact} about the delivery schedule for the next quarter.",
    "Visited {city}: walked through the installation with {contact}; two follow-up "
    "questions on the maintenance contract.",
    "{contact} asked for a quotation for additional training; sending it this week.",
    "Lunch with {contact}: next year's budget is being planned, they want our proposal in time.",
    "Sent the updated price list to {contact} and explained the new volume discounts.",
]
DONE_FEEDBACK = [
    "Reached {contact}: everything runs smoothly, no open issues.",
    "{contact} confirmed the next order for the coming month.",
    "Talked to {contact} about the roll-out at the second site; follow-up meeting agreed.",
    "{contact} is happy with the service and asked about the new analytics features.",
]
HANDOVER_NOTE = (
    "Signed the first order with {contact}. Handing the account over to {owner}; kick-off "
    "to be scheduled."
)


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
                    body=HANDOVER_NOTE.format(
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
                    body=rng.choice(NOTES).format(contact=contact, city=city),
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
                    "summary": f"Check in with {contact}",
                }
                for i, (account, owner, day, contact) in enumerate(done)
            ]
        )
        for activity, (_account, owner, day, contact) in zip(activities, done, strict=True):
            message = self.env["mail.message"].browse(
                activity.with_user(owner).action_feedback(
                    rng.choice(DONE_FEEDBACK).format(contact=contact)
                )
            )
            message.sudo().write({"date": _moment(day, rng.randint(8, 17))})

    def _planned_activities(self, partners, history, today):
        """The kick-off of the newest account and a follow-up call on each quotation."""
        newest = partners[self.handovers[-1]]
        kickoff_day = history[self.handovers[-1]][0][0] + timedelta(days=3)
        newest.activity_schedule(
            f"{MODULE}.mail_activity_type_kickoff",
            date_deadline=kickoff_day,
            summary=f"Kick-off with {newest.name}",
            user_id=newest.account_manager_id.id,
        )
        quotations = self.env["sale.order"].search(
            [("partner_id", "in", [p.id for p in partners.values()]), ("state", "=", "sent")]
        )
        for index, order in enumerate(quotations):
            order.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=today + timedelta(days=1 + index % 6),
                summary="Follow up on the quotation",
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
