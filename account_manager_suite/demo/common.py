"""The demo's helpers: its tables, names and dates, and the xml ids of its records."""

from datetime import datetime
from datetime import time

from ..const import MODULE

# left out of e-mail domains and addresses
LEGAL_FORMS = {"ag", "as", "bhd", "bv", "cv", "dr", "eg", "gmbh", "kg", "ltd", "pt", "pte", "sdn"}


def _xmlids(env, records):
    """``account_manager_suite.<name>`` for each record, as demo data (noupdate)."""
    env["ir.model.data"]._update_xmlids(
        [
            {"xml_id": f"{MODULE}.{name}", "record": record, "noupdate": True}
            for name, record in records.items()
        ]
    )


def _table(text):
    """The rows of a ``|``-separated table, as tuples of stripped strings."""
    return [
        tuple(cell.strip() for cell in line.split("|"))
        for line in text.strip().splitlines()
        if line.strip()
    ]


def _slug(name, separator):
    """An e-mail friendly form of a name: ``Bäckerei Hofmann KG`` -> ``baeckerei-hofmann``."""
    text = name.lower()
    for char, ascii_chars in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("&", " ")):
        text = text.replace(char, ascii_chars)
    words = ("".join(c for c in word if c.isalnum()) for word in text.split())
    return separator.join(word for word in words if word and word not in LEGAL_FORMS)


def _moment(day, hour=10):
    return datetime.combine(day, time(hour))


def _owner_on(history, ref, day):
    """The owner of account ``ref`` on ``day`` (its first owner before the history)."""
    periods = history[ref]
    owner = periods[0][1]
    for date_from, user in periods:
        if date_from <= day:
            owner = user
    return owner
