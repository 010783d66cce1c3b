"""The demo's customers: the accounts of each company, with their addresses and contacts."""

from collections import defaultdict

from odoo import Command

from .common import MODULE
from .common import _slug
from .common import _table
from .common import _xmlids

# customers' language by country
COUNTRY_LANG = {"de": "de_DE", "at": "de_DE", "ch": "de_DE", "id": "id_ID"}
TIERS = ("key", "strategic", "standard", "small")
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
# ref | name | job position (in the language of the account's company)
CONTACTS = """
hansa       | Henrik Petersen     | Vorstandsvorsitzender
hansa       | Maike Brandt        | Leiterin Einkauf
alpenblick  | Florian Huber       | Geschäftsführer
alpenblick  | Verena Maier        | Betriebsleiterin
nordlicht   | Jens Albers         | Logistikleiter
nordlicht   | Katrin Meyer        | Einkaufsmanagerin
schwarzwald | Tobias Schäfer      | Produktionsleiter
elbtal      | Uwe Krüger          | Geschäftsführer
elbtal      | Sandra Lehmann      | Baustellenkoordinatorin
hofmann     | Gerd Hofmann        | Inhaber
rheinblick  | Dr. Claudia Engel   | Leiterin des operativen Geschäfts
rheinblick  | Markus Roth         | Leiter IT
spreewald   | Silke Wendt         | Geschäftsführerin
mainufer    | Philipp Neumann     | Technischer Vorstand
mainufer    | Anja Schulze        | Lieferantenmanagerin
weserland   | Heinrich Bode       | Vorstandsvorsitzender
vogt        | Dr. Barbara Vogt    | Geschäftsführende Partnerin
harzer      | Stefan Koch         | Technischer Leiter
bodensee    | Lea Fischer         | Inhaberin
ostsee      | Ole Jansen          | Geschäftsführer
isar        | Michael Wagner      | Leiter der Druckerei
pfalz       | Julia Becker        | Inhaberin
ruhrstahl   | Ralf Zimmermann     | Leiter Einkauf
ruhrstahl   | Nadine Kaya         | Qualitätsmanagerin
allgaeu     | Josef Berger        | Geschäftsführer
nusantara   | Hendra Wijaya       | Presiden Direktur
nusantara   | Siti Rahmawati      | Manajer Pengadaan
sinarjaya   | Agus Salim          | Direktur Operasional
sinarjaya   | Rina Kusuma         | Kepala Pembelian
bumihijau   | Bambang Sitorus     | Manajer Perkebunan
samudra     | Andi Mappaseng      | Direktur Keuangan
samudra     | Yusuf Rahman        | Manajer Armada
batik       | Sri Handayani       | Pemilik
mitrakarya  | Dedi Kurniawan      | Direktur Proyek
kopi        | Wulan Sari          | Manajer Ekspor
bali        | I Made Suarjana     | Manajer Umum
bali        | Ni Luh Ayu Lestari  | Manajer Layanan Tamu
garuda      | Teguh Prasetyo      | Manajer Pabrik
cahaya      | Dr. Lestari Putri   | Direktur Utama
cahaya      | Fajar Nugroho       | Kepala Rantai Pasok
sumber      | Slamet Riyadi       | Pemilik
andalan     | Kevin Tanoto        | Direktur Teknologi
andalan     | Maya Anggraini      | Manajer Keuangan
borneo      | Rudi Hartono        | Direktur Pabrik
sentosa     | Linda Setiawan      | Direktur Operasional
sentosa     | Arief Budiman       | Manajer TI
majubersama | Hartono Gunawan     | Pemilik
lombok      | Lalu Ahmad          | Direktur Pelaksana
vanderberg  | Pieter van der Berg | Geschäftsführer
alpina      | Reto Baumann        | Leiter Beschaffung
alpina      | Corinne Meier       | Finanzchefin
lioncity    | Daniel Tan          | Direktur
donau       | Katharina Gruber    | Geschäftsführerin
klang       | Farah Aziz          | Manajer Pembelian
fjord       | Ingrid Solberg      | Geschäftsführerin
kieler      | Lars Thomsen        | Technischer Leiter
merapi      | Ratna Dewi          | Direktur Pelaksana
"""


class CustomersDemo:
    """The customer accounts of one company (a part of :class:`CompanyDemo`)."""

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
