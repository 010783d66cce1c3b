from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..const import acts_as_director
from .workflow_guard import workflow


class AccountManagerCommissionLineDispute(models.Model):
    """A manager's dispute of a line of their statement, and its resolution by a
    director: the line stays out of the bill meanwhile (``_compute_period`` keeps it as
    it is), the settlement's chatter and its director's to-do follow."""

    # a file of its own on purpose: one concern each (disputes, period, queue, corrections)
    _inherit = "account.manager.commission.line"  # pylint: disable=consider-merging-classes-inherited

    def action_dispute(self, note=None):
        """The manager holds a line of their statement: it stays out of the bill until a
        director resolves it."""
        for line in self:
            if line.state == "settled":
                raise UserError(self.env._("A settled commission line cannot be disputed."))
            if line.user_id != self.env.user and not acts_as_director(self.env):
                raise AccessError(self.env._("Only the line's account manager may dispute it."))
        # sudo: checked above (the line's own manager, or a director); the manager has no
        # write right on lines
        self.sudo().write({"disputed": True, "dispute_note": note or False})
        self._post_on_settlements(
            self.env._("%(user)s disputed: %(note)s", user=self.env.user.name, note=note or "")
        )
        # sudo: the to-do on the settlement of these lines, for its approving director
        self.sudo().settlement_id._ask_to_resolve(note)
        return True

    def action_resolve_dispute(self):
        if not acts_as_director(self.env):
            raise AccessError(self.env._("Only a Sales Director resolves disputed lines."))
        workflow(self).write({"disputed": False})
        self._post_on_settlements(
            self.env._("%(user)s resolved the dispute.", user=self.env.user.name)
        )
        # the director's to-do is done once no line of the settlement is disputed
        # sudo: the settlements of these lines, whose to-do is marked done
        settled_down = self.sudo().settlement_id.filtered(
            lambda s: not any(s.line_ids.mapped("disputed"))
        )
        settled_down.activity_feedback(
            ["mail.mail_activity_data_todo"],
            feedback=self.env._("Resolved by %(user)s.", user=self.env.user.name),
        )
        return True

    def _post_on_settlements(self, text):
        """Tell the settlements of these lines (their chatter) what happened to them."""
        # sudo: a note in the chatter of these lines' own settlements (text is escaped)
        for settlement in self.sudo().settlement_id:
            lines = self.filtered(lambda line, s=settlement: line.settlement_id == s)
            settlement.message_post(
                body=self.env._(
                    "%(text)s (%(count)s line(s), %(amount)s)",
                    text=text,
                    count=len(lines),
                    amount=format_amount(
                        self.env, sum(lines.mapped("amount")), lines.currency_id[:1]
                    ),
                )
            )
