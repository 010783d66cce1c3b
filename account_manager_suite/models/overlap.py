from odoo.tools import SQL


def find_overlap(records, match_columns):
    """The first pair of ids ``(record, other)`` where a row of ``records`` and another
    row of its table with the same ``match_columns`` have overlapping
    ``[date_from, date_to]`` ranges (an empty ``date_to`` is open-ended), else ``None``.

    One query for the batch; shared by the periods that must not overlap (ownership,
    quotas, commission plan assignments).
    """
    if not records:
        return None
    records.flush_model([*match_columns, "date_from", "date_to"])
    table = SQL.identifier(records._table)
    same = SQL(" AND ").join(
        SQL("b.%s = a.%s", SQL.identifier(column), SQL.identifier(column))
        for column in match_columns
    )
    records.env.cr.execute(
        SQL(
            """
            SELECT a.id, b.id
              FROM %(table)s a
              JOIN %(table)s b
                ON %(same)s AND b.id != a.id
               AND daterange(a.date_from, %(a_to)s, '[]') && daterange(b.date_from, %(b_to)s, '[]')
             WHERE a.id IN %(ids)s
             LIMIT 1
            """,
            table=table,
            same=same,
            # a range that ends before it starts is the dates check's to refuse, with
            # its own message: here it counts as its first day
            a_to=SQL("CASE WHEN a.date_to < a.date_from THEN a.date_from ELSE a.date_to END"),
            b_to=SQL("CASE WHEN b.date_to < b.date_from THEN b.date_from ELSE b.date_to END"),
            ids=tuple(records.ids),
        )
    )
    return records.env.cr.fetchone()
