"""Demo data: a group of two companies for `make run`, every date relative to the install day.

Not an Odoo model: the module's ``post_init_hook`` calls :func:`load` when the database
holds demo data. It builds on the demo companies of Odoo's German and Indonesian
localizations (``l10n_de`` with the SKR03 chart, EUR; ``l10n_id``, IDR), which
``make run`` installs first, and loads no chart of its own:

- the German company: German customers (and a few in neighbouring countries), German
  account managers working in German, invoices in EUR;
- the Indonesian company: Indonesian customers (and Singapore, Malaysia), Indonesian
  account managers working in Indonesian, invoices in IDR;
- the sales director, the commission accountant and business development in both.

Every company gets its own products, ownership history, orders, invoices, credit notes,
payments, check-ins, assessments, account plans, assignment rules, quotas, commission plan
and settlement, through the module's own API and Odoo's own accounting, so every figure
the module shows is read from real ledger lines. The records a user meets by name (users,
teams, customers, products, plans) get xml ids ``account_manager_suite.demo_*``.
"""

import logging
import random
from collections import defaultdict
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command
from odoo import fields
from odoo.tools import float_round

_logger = logging.getLogger(__name__)

MODULE = "account_manager_suite"
# code | xml id of the localization's demo company | name | city | language | IDR per unit
COMPANIES = """
de | base.demo_company_de | Nordwind Industrietechnik GmbH | Hamburg | de_DE
id | base.demo_company_id | PT Nordwind Teknik Indonesia   | Jakarta | id_ID
"""
# The demo's exchange rate, in both companies' books.
IDR_PER_EUR = 18000.0
# login | name | companies (the first is the default) | language | time zone | groups
USERS = """
director   | Sabine Richter | de id | de_DE | Europe/Berlin | group_sales_director
anna       | Anna Becker    | de    | de_DE | Europe/Berlin | group_account_manager
budi       | Budi Santoso   | id    | id_ID | Asia/Jakarta  | group_account_manager
clara      | Clara Wagner   | de    | de_DE | Europe/Berlin | group_account_manager
dewi       | Dewi Lestari   | id    | id_ID | Asia/Jakarta  | group_account_manager
accountant | Agus Wijaya    | id de | id_ID | Asia/Jakarta  | group_commission_accountant account.group_account_manager account.group_account_user
bizdev     | Jonas Keller   | de id | de_DE | Europe/Berlin | sales_team.group_sale_salesman base.group_partner_manager
"""  # noqa: E501
# Two key-account teams led by the director: the team roll-ups of quotas and reports.
# key | name | company | members
TEAMS = """
europe | Key Accounts Europe | de | anna clara
asia   | Key Accounts Asia   | id | budi dewi
"""
# customers' language by country
COUNTRY_LANG = {"de": "de_DE", "at": "de_DE", "ch": "de_DE", "id": "id_ID"}
TIERS = ("key", "strategic", "standard", "small")
# left out of e-mail domains and addresses
LEGAL_FORMS = {"ag", "as", "bhd", "bv", "cv", "dr", "eg", "gmbh", "kg", "ltd", "pt", "pte", "sdn"}

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
PHONE_PREFIX = {
    "de": "+49",
    "id": "+62",
    "nl": "+31",
    "ch": "+41",
    "sg": "+65",
    "at": "+43",
    "my": "+60",
    "no": "+47",
}

# ref | country | zip | city | street
ADDRESSES = """
hansa       | de | 20457   | Hamburg           | Am Sandtorkai 41
alpenblick  | de | 80331   | München           | Sendlinger Str. 12
nordlicht   | de | 28195   | Bremen            | Hafenstraße 88
schwarzwald | de | 79098   | Freiburg          | Rempartstr. 9
elbtal      | de | 01067   | Dresden           | Ostra-Allee 9
hofmann     | de | 50667   | Köln              | Hohe Str. 52
rheinblick  | de | 40213   | Düsseldorf        | Rheinort 3
spreewald   | de | 03222   | Lübbenau          | Dammstraße 4
mainufer    | de | 60311   | Frankfurt am Main | Mainkai 27
weserland   | de | 31582   | Nienburg          | Lange Str. 60
vogt        | de | 70173   | Stuttgart         | Königstraße 14
harzer      | de | 38640   | Goslar            | Rammelsberger Str. 2
bodensee    | de | 78462   | Konstanz          | Marktstätte 5
ostsee      | de | 24103   | Kiel              | Kaistraße 50
isar        | de | 80469   | München           | Fraunhoferstr. 18
pfalz       | de | 67098   | Bad Dürkheim      | Weinstraße 101
ruhrstahl   | de | 45127   | Essen             | Kettwiger Str. 36
allgaeu     | de | 87435   | Kempten           | Bahnhofstraße 23
nusantara   | id | 10220   | Jakarta           | Jl. Jend. Sudirman Kav. 52
sinarjaya   | id | 60271   | Surabaya          | Jl. Basuki Rahmat 89
bumihijau   | id | 20112   | Medan             | Jl. Diponegoro 18
samudra     | id | 90111   | Makassar          | Jl. Nusantara 120
batik       | id | 55271   | Yogyakarta        | Jl. Malioboro 75
mitrakarya  | id | 40115   | Bandung           | Jl. Asia Afrika 65
kopi        | id | 40171   | Bandung           | Jl. Braga 40
bali        | id | 80361   | Denpasar          | Jl. Sunset Road 88
garuda      | id | 50132   | Semarang          | Jl. Pemuda 150
cahaya      | id | 12950   | Jakarta           | Jl. Rasuna Said Kav. 10
sumber      | id | 65111   | Malang            | Jl. Ijen 21
andalan     | id | 12190   | Jakarta           | Jl. Jend. Gatot Subroto 42
borneo      | id | 76112   | Balikpapan        | Jl. Jend. Sudirman 7
sentosa     | id | 10350   | Jakarta           | Jl. M.H. Thamrin 1
majubersama | id | 60174   | Surabaya          | Jl. Kembang Jepun 33
lombok      | id | 83121   | Mataram           | Jl. Pejanggik 9
vanderberg  | nl | 3011 AA | Rotterdam         | Wijnhaven 60
alpina      | ch | 8001    | Zürich            | Bahnhofstrasse 70
lioncity    | sg | 049315  | Singapore         | 8 Marina View
donau       | at | 1010    | Wien              | Kärntner Straße 21
klang       | my | 50450   | Kuala Lumpur      | Jalan Sultan Ismail 8
fjord       | no | 5003    | Bergen            | Bryggen 15
kieler      | de | 24114   | Kiel              | Sophienblatt 12
merapi      | id | 55281   | Yogyakarta        | Jl. Kaliurang Km 5
"""
# The customer accounts. since: days ago the first owner took the account; last contact:
# days ago. Profiles: steady, growing, declining, churning (no invoice for eight months),
# late (pays late).
# ref | name | tier | profile | since | first owner | last contact
PORTFOLIO = """
hansa       | Hansa Maschinenbau AG           | key       | steady    | 1100 | anna  | 5
alpenblick  | Alpenblick Hotels GmbH          | strategic | growing   | 900  | anna  | 12
nordlicht   | Nordlicht Logistik GmbH         | strategic | declining | 800  | anna  | 9
schwarzwald | Schwarzwald Präzision GmbH      | standard  | steady    | 700  | anna  | 41
elbtal      | Elbtal Bauservice GmbH          | standard  | steady    | 600  | anna  | 4
hofmann     | Bäckerei Hofmann KG             | small     | late      | 1000 | anna  | 130
rheinblick  | Rheinblick Medizintechnik GmbH  | key       | growing   | 1200 | clara | 19
spreewald   | Spreewald Feinkost GmbH         | standard  | growing   | 500  | clara | 22
mainufer    | Mainufer Software AG            | strategic | growing   | 950  | clara | 8
weserland   | Weserland Agrar eG              | standard  | declining | 850  | anna  | 55
vogt        | Kanzlei Vogt & Partner          | small     | steady    | 45   | clara | 20
harzer      | Harzer Energie GmbH             | standard  | steady    | 780  | clara | 26
bodensee    | Bodensee Textil GmbH            | small     | steady    | 650  | anna  | 70
ostsee      | Ostsee Yachtbau GmbH            | standard  | steady    | 12   | anna  | 12
isar        | Isar Druckhaus GmbH             | small     | churning  | 1000 | anna  | 160
pfalz       | Pfalz Weinkontor GmbH           | small     | steady    | 400  | clara | 45
ruhrstahl   | Ruhrstahl Handels GmbH          | strategic | steady    | 1300 | anna  | 15
allgaeu     | Allgäuer Molkerei Berger GmbH   | standard  | steady    | 720  | anna  | 33
nusantara   | PT Nusantara Logistik           | key       | growing   | 1300 | budi  | 3
sinarjaya   | PT Sinar Jaya Elektronik        | strategic | steady    | 1000 | budi  | 27
bumihijau   | PT Bumi Hijau Agro              | standard  | steady    | 800  | budi  | 18
samudra     | PT Samudra Perkasa Shipping     | strategic | late      | 900  | budi  | 6
batik       | CV Batik Sekar Arum             | small     | steady    | 600  | budi  | 40
mitrakarya  | PT Mitra Karya Konstruksi       | standard  | declining | 750  | budi  | 47
kopi        | PT Kopi Priangan Nusantara      | small     | growing   | 500  | budi  | 60
bali        | PT Bali Harmoni Resort          | strategic | steady    | 850  | budi  | 6
garuda      | PT Garuda Tekstil Mandiri       | standard  | late      | 700  | budi  | 38
cahaya      | PT Cahaya Farma Indonesia       | key       | steady    | 1000 | budi  | 16
sumber      | CV Sumber Rejeki Tani           | small     | steady    | 250  | dewi  | 95
andalan     | PT Teknologi Andalan Digital    | standard  | growing   | 200  | dewi  | 11
borneo      | PT Borneo Kayu Lestari          | standard  | declining | 680  | budi  | 52
sentosa     | PT Sentosa Retail Group         | strategic | growing   | 300  | dewi  | 10
majubersama | Toko Bangunan Maju Bersama      | small     | steady    | 900  | budi  | 75
lombok      | PT Lombok Segar Perikanan       | small     | steady    | 200  | dewi  | 100
vanderberg  | Van der Berg Trading B.V.       | standard  | steady    | 1000 | anna  | 28
alpina      | Alpina Instruments AG           | strategic | steady    | 700  | clara | 14
lioncity    | Lion City Components Pte. Ltd.  | standard  | steady    | 400  | budi  | 31
donau       | Donau Handels GmbH              | small     | steady    | 800  | clara | 85
klang       | Klang Valley Supplies Sdn. Bhd. | small     | steady    | 150  | dewi  | 120
fjord       | Nordic Fjord Seafood AS         | standard  | steady    | 550  | anna  | 24
"""
# Prospects of business development: open quotations, no account manager yet; confirming
# one of their quotations hands them over through the assignment rules.
# ref | name | company
PROSPECTS = """
kieler | Kieler Windkraft GmbH   | de
merapi | PT Merapi Solusi Energi | id
"""
# ref | name | job position
CONTACTS = """
hansa       | Henrik Petersen     | Chief Executive Officer
hansa       | Maike Brandt        | Head of Purchasing
alpenblick  | Florian Huber       | Managing Director
alpenblick  | Verena Maier        | Head of Operations
nordlicht   | Jens Albers         | Logistics Director
nordlicht   | Katrin Meyer        | Procurement Manager
schwarzwald | Tobias Schäfer      | Production Manager
elbtal      | Uwe Krüger          | Managing Director
elbtal      | Sandra Lehmann      | Site Coordinator
hofmann     | Gerd Hofmann        | Owner
rheinblick  | Dr. Claudia Engel   | Chief Operating Officer
rheinblick  | Markus Roth         | Head of IT
spreewald   | Silke Wendt         | Managing Director
mainufer    | Philipp Neumann     | Chief Technology Officer
mainufer    | Anja Schulze        | Vendor Manager
weserland   | Heinrich Bode       | Chairman of the Board
vogt        | Dr. Barbara Vogt    | Managing Partner
harzer      | Stefan Koch         | Technical Director
bodensee    | Lea Fischer         | Owner
ostsee      | Ole Jansen          | Managing Director
isar        | Michael Wagner      | Print Shop Manager
pfalz       | Julia Becker        | Owner
ruhrstahl   | Ralf Zimmermann     | Head of Purchasing
ruhrstahl   | Nadine Kaya         | Quality Manager
allgaeu     | Josef Berger        | Managing Director
nusantara   | Hendra Wijaya       | President Director
nusantara   | Siti Rahmawati      | Procurement Manager
sinarjaya   | Agus Salim          | Operations Director
sinarjaya   | Rina Kusuma         | Purchasing Lead
bumihijau   | Bambang Sitorus     | Plantation Manager
samudra     | Andi Mappaseng      | Chief Financial Officer
samudra     | Yusuf Rahman        | Fleet Manager
batik       | Sri Handayani       | Owner
mitrakarya  | Dedi Kurniawan      | Project Director
kopi        | Wulan Sari          | Export Manager
bali        | I Made Suarjana     | General Manager
bali        | Ni Luh Ayu Lestari  | Guest Services Manager
garuda      | Teguh Prasetyo      | Plant Manager
cahaya      | Dr. Lestari Putri   | Chief Executive Officer
cahaya      | Fajar Nugroho       | Head of Supply Chain
sumber      | Slamet Riyadi       | Owner
andalan     | Kevin Tanoto        | Chief Technology Officer
andalan     | Maya Anggraini      | Finance Manager
borneo      | Rudi Hartono        | Mill Director
sentosa     | Linda Setiawan      | Chief Operating Officer
sentosa     | Arief Budiman       | IT Manager
majubersama | Hartono Gunawan     | Owner
lombok      | Lalu Ahmad          | Managing Director
vanderberg  | Pieter van der Berg | Managing Director
alpina      | Reto Baumann        | Head of Procurement
alpina      | Corinne Meier       | Chief Financial Officer
lioncity    | Daniel Tan          | Director
donau       | Katharina Gruber    | Managing Director
klang       | Farah Aziz          | Purchasing Manager
fjord       | Ingrid Solberg      | Chief Executive Officer
kieler      | Lars Thomsen        | Technical Director
merapi      | Ratna Dewi          | Managing Director
"""
# Won by business development, handed over the day their first order was confirmed.
HANDOVERS = ("lioncity", "andalan", "vogt", "ostsee")
# days ago | new owner | reason | note | accounts
REASSIGNMENTS = """
330 | dewi  | reassignment | Portfolio split: Dewi Lestari joined the Jakarta office | bumihijau batik kopi bali cahaya
240 | anna  | manual | Anna Becker takes over the energy accounts | harzer
150 | clara | reassignment | Regional split: southern Germany moves to Clara Wagner | alpenblick schwarzwald bodensee isar allgaeu
60  | anna  | manual | The customer asked for a German-speaking contact | alpina
"""  # noqa: E501
# account | invoices back | share credited (%) | reason
CREDIT_NOTES = """
elbtal     | 1  | 15 | Delay penalty: late delivery of the sensor kits
elbtal     | 3  | 10 | Delay penalty: site in Dresden-Neustadt
nordlicht  | 2  | 8  | Price adjustment agreed in the rate review
bali       | 1  | 20 | Service credit: hotline response times in high season
vanderberg | 5  | 25 | Returned goods: two pallets damaged in transit
hansa      | 12 | 5  | Billing error: consulting day invoiced twice
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
# company | name | sequence | method | tiers | countries | account manager | candidates
RULES = """
de | Key accounts in Germany     | 10 | fixed        | key | de | anna |
de | Everyone else: least loaded | 30 | least_loaded |     |    |      | anna clara
id | Indonesia: take turns       | 20 | round_robin  |     | id |      | budi dewi
id | Everyone else: least loaded | 30 | least_loaded |     |    |      | budi dewi
"""
# annual targets of this year's quota plan (EUR)
ANNUAL_TARGETS = {"anna": 360000, "budi": 330000, "clara": 240000, "dewi": 300000}


def load(env):
    """Build the demo group on the localizations' demo companies; does nothing a second
    time, nor where a localization is missing (it says so in the log)."""
    if env.ref(f"{MODULE}.demo_user_anna", raise_if_not_found=False):
        return
    companies = {}
    for code, xmlid, name, city, lang in _table(COMPANIES):
        company = env.ref(xmlid, raise_if_not_found=False)
        if not company or not company.chart_template:
            _logger.warning(
                "Demo data of %s: no %s with its chart of accounts; install l10n_%s with "
                "demo data first (make run does).",
                MODULE,
                xmlid,
                code,
            )
            return
        company.write({"name": name})
        company.partner_id.write({"city": city, "lang": lang})
        companies[code] = company
    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_activity_quick_update=True,
        )
    )
    _languages(env)
    _rates(env, companies)
    users = _users(env, companies)
    _teams(env, companies, users)
    today = fields.Date.context_today(env["res.users"])
    for index, (code, company) in enumerate(companies.items()):
        CompanyDemo(env, code, company, users, random.Random(20240601 + index)).build(today)
    everywhere = env["res.partner"].with_context(
        allowed_company_ids=env["res.company"].search([]).ids
    )
    everywhere._cron_schedule_checkins()
    everywhere._cron_compute_health()


def _languages(env):
    """German and Indonesian, with the translations of every installed module."""
    codes = [row[4] for row in _table(COMPANIES)]
    inactive = [code for code in codes if not env["res.lang"]._lang_get(code)]
    for code in inactive:
        env["res.lang"]._activate_lang(code)
    if inactive:
        env["ir.module.module"].search([("state", "=", "installed")])._update_translations(
            filter_lang=inactive
        )


def _rates(env, companies):
    """One EUR/IDR rate in both companies' books (rates are per company in Odoo)."""
    eur, idr = env.ref("base.EUR"), env.ref("base.IDR")
    (eur | idr).active = True
    day = fields.Date.context_today(env["res.users"]) - relativedelta(years=3)
    vals_list = []
    for company in companies.values():
        own = company.currency_id
        other = idr if own == eur else eur
        rate = IDR_PER_EUR if own == eur else 1.0 / IDR_PER_EUR
        vals_list += [
            {"name": day, "currency_id": own.id, "rate": 1.0, "company_id": company.id},
            {"name": day, "currency_id": other.id, "rate": rate, "company_id": company.id},
        ]
    env["res.currency.rate"].search(
        [("company_id", "in", [c.id for c in companies.values()]), ("name", "=", day)]
    ).unlink()
    env["res.currency.rate"].create(vals_list)


def _user_companies(login):
    return next(row[2].split() for row in _table(USERS) if row[0] == login)


def _users(env, companies):
    """The demo users, each in the language of their country; passwords are the logins.
    The administrator works in both companies too, from the German one."""
    users = {}
    for login, name, codes, lang, tz, groups in _table(USERS):
        allowed = [companies[code] for code in codes.split()]
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": name,
                    "login": login,
                    "password": login,
                    "email": f"{name.lower().replace(' ', '.')}@nordwind.example",
                    "company_id": allowed[0].id,
                    "company_ids": [Command.set([c.id for c in allowed])],
                    "groups_id": [
                        Command.set(
                            [
                                env.ref(group if "." in group else f"{MODULE}.{group}").id
                                for group in groups.split()
                            ]
                        )
                    ],
                    "lang": lang,
                    "tz": tz,
                    "notification_type": "inbox",
                }
            )
        )
        users[login] = user
    _xmlids(env, {f"demo_user_{login}": user for login, user in users.items()})
    admin = env.ref("base.user_admin")
    admin.write(
        {
            "company_ids": [Command.link(c.id) for c in companies.values()],
            "company_id": companies["de"].id,
            "lang": "en_US",  # loading the languages made it German
        }
    )
    return users


def _teams(env, companies, users):
    teams = {}
    for key, name, code, members in _table(TEAMS):
        teams[f"demo_team_{key}"] = env["crm.team"].create(
            {
                "name": name,
                "user_id": users["director"].id,
                "company_id": companies[code].id,
                "member_ids": [Command.set([users[m].id for m in members.split()])],
            }
        )
    _xmlids(env, teams)


def _xmlids(env, records):
    """``account_manager_suite.<name>`` for each record, as demo data (noupdate)."""
    env["ir.model.data"]._update_xmlids(
        [
            {"xml_id": f"{MODULE}.{name}", "record": record, "noupdate": True}
            for name, record in records.items()
        ]
    )


class CompanyDemo:
    """The demo of one company of the group: its accounts, books, quotas, commissions."""

    def __init__(self, env, code, company, users, rng):
        self.code = code
        self.company = company
        self.env = env["res.company"].with_company(company).env
        self.users = users
        self.rng = rng
        # the account managers working in this company, in the order of USERS
        self.managers = [
            login
            for login, *_rest in _table(USERS)
            if login in QUOTA_PATTERNS and code in _user_companies(login)
        ]
        owners = set(self.managers)
        self.refs = {row[0] for row in _table(PORTFOLIO) if row[5] in owners} | {
            ref for ref, _name, company_code in _table(PROSPECTS) if company_code == code
        }
        self.handovers = [ref for ref in HANDOVERS if ref in self.refs]
        # amounts of the tables are in EUR: the company's currency at the demo's rate
        self.rate = IDR_PER_EUR if company.currency_id.name == "IDR" else 1.0

    def money(self, amount_eur):
        """An amount of the tables in the company's currency, rounded as a price list
        would be (to the thousand rupiah)."""
        amount = amount_eur * self.rate
        if self.rate >= 1000:
            return float_round(amount, precision_rounding=1000.0)
        return self.company.currency_id.round(amount)

    def portfolio(self):
        return [row for row in _table(PORTFOLIO) if row[0] in self.refs]

    def build(self, today):
        users, company, rng = self.users, self.company, self.rng
        # orders in the company's currency (Odoo's default pricelist is in dollars)
        self.pricelist = self.env["product.pricelist"].create(
            {"name": company.name, "currency_id": company.currency_id.id, "company_id": company.id}
        )
        partners = self.partners(rng)
        history = self.ownership(partners, users, today)
        products = self.products(company)
        won = self.orders(partners, products, users, history, today)
        self.invoices(partners, products, history, today, rng, won)
        self.payments(partners, today, rng)
        self.contacts(partners, users, history, today, rng)
        self.account_management(partners, users, today)
        self.assessments(partners, history, today, rng)
        self.rules(users, company)
        self.quotas(users, company, today)
        self.commissions(users, company, today)

    # ------------------------------------------------------------------ quotas

    def quotas(self, users, company, today):
        """A quota plan for this year and quarterly quotas since last year; the quarters
        already over are closed by the director, in order, so that the performance
        review runs on them."""
        Quota = self.env["account.manager.quota"]
        managers = {key: users[key] for key in QUOTA_PATTERNS if key in self.managers}
        plan = self.env["account.manager.quota.plan"].create(
            {
                "name": self.env._("Quotas %(year)s", year=today.year),
                "year": today.year,
                "company_id": company.id,
                "weighting": "weights",
                "weights": "22,24,24,30",
                "line_ids": [
                    (0, 0, {"user_id": user.id, "annual_target": self.money(ANNUAL_TARGETS[key])})
                    for key, user in managers.items()
                ],
            }
        )
        plan.action_generate_quotas()
        last_year = date(today.year - 1, 1, 1)
        Quota.create(
            [
                {
                    "user_id": user.id,
                    "company_id": company.id,
                    "period_type": "quarter",
                    "date_from": last_year + relativedelta(months=3 * q),
                    "date_to": last_year + relativedelta(months=3 * q + 3, days=-1),
                    "target": 1.0,  # set below from the revenue and the pattern
                }
                for user in managers.values()
                for q in range(4)
            ]
        )
        past = Quota.search(
            [("user_id", "in", [u.id for u in managers.values()]), ("date_to", "<", today)],
            order="date_from",
        )
        actual = self.env["account.manager.revenue"]._revenue(
            last_year, today, ("user", "quarter"), company_ids=company.ids
        )
        for key, user in managers.items():
            quarters = past.filtered(lambda q, u=user: q.user_id == u)
            pattern = QUOTA_PATTERNS[key][-len(quarters) :]
            for quota, share in zip(quarters, pattern, strict=True):
                done = actual.get((user.id, quota.date_from), 0.0)
                if done:
                    quota.target = company.currency_id.round(done / share)
                else:  # no portfolio yet in that quarter: no quota either
                    past -= quota
                    quota.unlink()
        director = users["director"]
        for quota in past.sorted(lambda q: (q.date_from, q.user_id.id)):
            quota.with_user(director).action_close()

    # ------------------------------------------------------------------ commissions

    def commissions(self, users, company, today):
        """A tiered plan for the managers, the company's commission accounts, and the
        last closed quarter settled: approved, and billed for the first manager (Anna,
        Budi)."""
        Account = self.env["account.account"]
        accrued = Account.search(
            [("code", "=", "219900"), ("company_ids", "in", company.ids)], limit=1
        ) or Account.create(
            {
                "name": self.env._("Accrued Commissions"),
                "code": "219900",
                "account_type": "liability_current",
                "company_ids": [(6, 0, company.ids)],
            }
        )
        company.write(
            {
                "ams_commission_expense_account_id": Account.search(
                    [("account_type", "=", "expense"), ("company_ids", "in", company.ids)],
                    limit=1,
                ).id,
                "ams_commission_accrual_account_id": accrued.id,
                "ams_commission_journal_id": self.env["account.journal"]
                .search([("type", "=", "general"), ("company_id", "=", company.id)], limit=1)
                .id,
            }
        )
        self.env["account.manager.commission.plan"].create(
            {
                "name": self.env._("Account managers"),
                "company_id": company.id,
                "ote_amount": self.money(90000),
                "base_salary": self.money(60000),
                "tier_mode": "marginal",
                "tier_ids": [
                    (0, 0, {"attainment_from": 0, "attainment_to": 50, "rate": 2.0}),
                    (0, 0, {"attainment_from": 50, "attainment_to": 100, "rate": 5.0}),
                    (0, 0, {"attainment_from": 100, "attainment_to": 0, "rate": 8.0}),
                ],
                "new_business_months": 6,
                "new_business_rate": 7.0,
                "bonus_ids": [
                    (0, 0, {"threshold": 100.0, "amount": self.money(1000)}),
                    (0, 0, {"threshold": 120.0, "amount": self.money(2500)}),
                ],
                "cap_amount": self.money(15000),
                "assignment_ids": [
                    (0, 0, {"user_id": users[key].id, "date_from": date(today.year - 1, 1, 1)})
                    for key in QUOTA_PATTERNS
                    if key in self.managers
                ],
            }
        )
        closed = self.env["account.manager.quota"].search(
            [("state", "=", "closed"), ("company_id", "=", company.id)],
            order="date_from desc",
            limit=1,
        )
        if not closed:
            return
        settlements = self.env["account.manager.commission.settlement"]._propose(
            closed.date_from, closed.date_to, company=company
        )
        settlements.with_user(users["director"]).action_approve()
        # the first manager's settlement billed: a vendor bill in each company's books
        billed = settlements.filtered(lambda s: s.user_id == users[self.managers[0]]).with_user(
            users["accountant"]
        )
        billed.action_create_bill()
        billed.bill_id.action_post()

    # ------------------------------------------------------------------ accounts

    def partners(self, rng):
        """The customer companies with their contacts: ``{ref: partner}``."""
        tiers = {key: self.env.ref(f"{MODULE}.tier_{key}") for key in TIERS}
        accounts = {row[0]: (row[1], row[2]) for row in _table(PORTFOLIO)}
        accounts.update((ref, (name, False)) for ref, name, _company in _table(PROSPECTS))
        contacts = defaultdict(list)
        for ref, name, job in _table(CONTACTS):
            contacts[ref].append((name, job))
        addresses = [row for row in _table(ADDRESSES) if row[0] in self.refs]
        countries = {code: self.env.ref(f"base.{code}") for code in {a[1] for a in addresses}}

        def phone(country):
            return f"{PHONE_PREFIX[country]} {rng.randint(20, 89)} {rng.randint(100000, 999999)}"

        vals_list = []
        for ref, country, zip_code, city, street in addresses:
            name, tier = accounts[ref]
            domain = _slug(name, "-")
            vals_list.append(
                {
                    "name": name,
                    "is_company": True,
                    "street": street,
                    "zip": zip_code,
                    "city": city,
                    "country_id": countries[country].id,
                    "phone": phone(country),
                    "email": f"info@{domain}.example",
                    "website": f"https://www.{domain}.example",
                    "account_tier_id": tier and tiers[tier].id,
                    "customer_rank": 1,
                    "company_id": self.company.id,
                    "lang": COUNTRY_LANG.get(country, "en_US"),
                    "property_product_pricelist": self.pricelist.id,
                    "child_ids": [
                        Command.create(
                            {
                                "name": contact,
                                "function": job,
                                "email": f"{_slug(contact, '.')}@{domain}.example",
                                "phone": phone(country),
                                "company_id": self.company.id,
                                "lang": COUNTRY_LANG.get(country, "en_US"),
                            }
                        )
                        for contact, job in contacts[ref]
                    ],
                }
            )
        records = self.env["res.partner"].create(vals_list)
        partners = {row[0]: record for row, record in zip(addresses, records, strict=True)}
        _xmlids(self.env, {f"demo_partner_{ref}": partner for ref, partner in partners.items()})
        return partners

    def ownership(self, partners, users, today):
        """The ownership history, in date order, through ``_set_account_manager``.

        :return: ``{ref: [(date_from, user), ...]}`` oldest first
        """
        events = defaultdict(list)
        for ref, _name, _tier, _profile, since, owner, _last in self.portfolio():
            if ref in HANDOVERS:
                key = ("handover", "Won by business development")
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

    # ------------------------------------------------------------------ sales

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
        vals_list.sort(key=lambda vals: vals["invoice_date"])
        Move = self.env["account.move"]
        invoices = Move.create(vals_list) | drafts
        invoices.action_post()

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

    # ------------------------------------------------------------------ relationship

    def contacts(self, partners, users, history, today, rng):
        """Logged notes and done activities, so that last contacts vary and some check-ins
        are overdue; the kick-off of the newest account and a few planned calls."""
        checkin = self.env.ref(f"{MODULE}.mail_activity_type_checkin")
        call = self.env.ref("mail.mail_activity_data_call")
        note_subtype = self.env.ref("mail.mt_note")
        model_id = self.env["ir.model"]._get_id("res.partner")
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

    def account_management(self, partners, users, today):
        """Account teams, account plans and the accounts at risk."""
        self.env["account.team.member"].create(
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
        self.env["account.plan"].create(
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


# Attainment of each manager's closed quarters, oldest first, aligned on the last closed
# quarter: Clara ends above 120%, Dewi misses the last two and is on probation.
QUOTA_PATTERNS = {
    "anna": [1.05, 0.98, 1.10, 1.02, 0.97, 1.08, 1.01, 1.04],
    "budi": [1.10, 1.00, 0.95, 1.05, 1.02, 1.00, 1.03, 0.99],
    "clara": [1.00, 1.05, 1.10, 1.12, 1.15, 1.20, 1.22, 1.25],
    "dewi": [1.02, 1.00, 1.05, 1.01, 0.99, 1.03, 0.88, 0.82],
}


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
