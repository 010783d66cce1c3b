from datetime import date

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .workflow_guard import check_not_own
from .workflow_guard import check_workflow_fields


class AccountManagerInputMixin(models.AbstractModel):
    """Values of the wrong type are refused with the field's name before anything is
    written.

    A client calling ``create`` or ``write`` over RPC with text for an amount, a name for
    a record id or a sentence for a date otherwise gets Python's own ``ValueError``
    (``could not convert string to float``), which names neither the field nor the fix.
    """

    _name = "account.manager.input.mixin"
    _description = "Account Management: checks of written values"
    # Fields that only the module's actions write (states, approvals, links to the books,
    # computed money): refused in ``create``/``write`` from anyone else (workflow_guard).
    _ams_workflow_fields = ()
    # Records about a user's own pay or review: the path from a record to that user, who
    # may not create, change or delete it (workflow_guard.check_not_own).
    _ams_own_path = None

    @api.model_create_multi
    def create(self, vals_list):
        check_workflow_fields(self, vals_list, self._ams_workflow_fields)
        for vals in vals_list:
            self._check_input_types(vals)
        records = super().create(vals_list)
        check_not_own(records, self._ams_own_path)
        return records

    def write(self, vals):
        check_workflow_fields(self, [vals], self._ams_workflow_fields)
        self._check_input_types(vals)
        check_not_own(self, self._ams_own_path)
        result = super().write(vals)
        check_not_own(self, self._ams_own_path)
        return result

    def unlink(self):
        check_not_own(self, self._ams_own_path)
        return super().unlink()

    @api.model
    def _check_input_types(self, vals):
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or value is False or value is None:
                continue
            expected = self._input_type_error(field, value)
            if expected:
                raise ValidationError(
                    self.env._(
                        "%(model)s: %(field)s expects %(expected)s, not %(value)r.",
                        model=self._description,
                        field=field._description_string(self.env),
                        expected=expected,
                        value=value,
                    )
                )

    @api.model
    def _input_type_error(self, field, value):
        """What ``field`` expects, when ``value`` is not that; else ``None``."""
        kind = field.type
        if kind in ("float", "monetary"):
            if isinstance(value, bool):
                return self.env._("a number")
            try:
                float(value)
            except (TypeError, ValueError):
                return self.env._("a number")
        elif kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                return self.env._("a whole number")
        elif kind == "many2one":
            is_record = isinstance(value, models.BaseModel) and value._name == field.comodel_name
            if not is_record and (isinstance(value, bool) or not isinstance(value, int)):
                return self.env._("the id of a record (a whole number)")
        elif kind in ("date", "datetime"):
            if isinstance(value, date):  # datetimes are dates too
                return None
            try:
                parsed = (
                    fields.Date.to_date(value)
                    if kind == "date"
                    else fields.Datetime.to_datetime(value)
                )
            except (TypeError, ValueError):
                parsed = None
            if not parsed:
                return self.env._("a date written YYYY-MM-DD")
        elif kind == "selection":
            allowed = [key for key, _label in field._description_selection(self.env)]
            if value not in allowed:
                return self.env._("one of %(values)s", values=", ".join(map(str, allowed)))
        elif kind in ("char", "text", "html") and not isinstance(value, str):
            return self.env._("text")
        return None
