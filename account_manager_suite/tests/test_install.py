"""Install and uninstall the module in a database of its own, reading Odoo's log.

The database is a copy of the harness' template (Odoo + the dependencies, no demo
data) when the harness names one in AMS_TEMPLATE_DB, else a new empty database.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from odoo.tests import BaseCase
from odoo.tests import tagged
from odoo.tools import config

MODULE = "account_manager_suite"
# Lines Odoo itself logs at WARNING on any install, unrelated to the module.
BENIGN = [re.compile(p) for p in (r"Running as user 'root' is a security risk",)]


def _problems(log_text):
    lines = re.findall(r"^\S+ \S+ \d+ (?:WARNING|ERROR|CRITICAL) .*$", log_text, re.M)
    return [line for line in lines if not any(p.search(line) for p in BENIGN)]


@tagged("post_install", "-at_install")
class TestInstallUninstall(BaseCase):
    def setUp(self):
        super().setUp()
        self.db = f"{self._db_name()}_install"
        self.workdir = Path(tempfile.mkdtemp(prefix="ams-install-"))
        self.addCleanup(shutil.rmtree, self.workdir, ignore_errors=True)
        self._dropdb()
        self.addCleanup(self._dropdb)
        template = os.environ.get("AMS_TEMPLATE_DB")
        cmd = ["createdb", self.db] + (["-T", template] if template else [])
        subprocess.run(cmd, check=True)
        if template:
            source = Path(config.filestore(template))
            if source.exists():
                shutil.copytree(source, config.filestore(self.db))

    def _db_name(self):
        from odoo.tests import get_db_name

        return get_db_name()

    def _dropdb(self):
        subprocess.run(["dropdb", "--if-exists", self.db], check=True)
        shutil.rmtree(config.filestore(self.db), ignore_errors=True)

    def _odoo(self, name, *args, stdin=None):
        log_file = self.workdir / f"{name}.log"
        cmd = [
            sys.executable,
            "-m",
            "odoo",
            *args,
            "-d",
            self.db,
            "--addons-path",
            config["addons_path"],
            "--data-dir",
            config["data_dir"],
            "--logfile",
            str(log_file),
            "--log-level",
            "info",
            "--no-http",
        ]
        if config["db_user"]:
            cmd += ["-r", config["db_user"]]
        result = subprocess.run(cmd, input=stdin, text=True, capture_output=True, timeout=900)
        log_text = log_file.read_text() if log_file.exists() else ""
        self.assertEqual(
            result.returncode, 0, f"{name} failed:\n{result.stderr}\n{log_text[-3000:]}"
        )
        return log_text

    def _psql(self, sql):
        return subprocess.run(
            ["psql", "-d", self.db, "-Atqc", sql], check=True, capture_output=True, text=True
        ).stdout.strip()

    def test_install_and_uninstall_cleanly(self):
        log_text = self._odoo("install", "-i", MODULE, "--without-demo=all", "--stop-after-init")
        self.assertIn(f"Loading module {MODULE}", log_text)
        self.assertEqual(_problems(log_text), [], "the install logged warnings or errors")
        self.assertEqual(
            self._psql(f"SELECT state FROM ir_module_module WHERE name = '{MODULE}'"), "installed"
        )
        self.assertEqual(self._psql("SELECT to_regclass('account_manager_tier') IS NOT NULL"), "t")
        cogs_index = "SELECT to_regclass('account_move_line__ams_cogs_index') IS NULL"
        self.assertEqual(self._psql(cogs_index), "f")
        triggers = (
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'account_manager_revenue_day_%' "
            "AND tgrelid IN ('account_move'::regclass, 'account_move_line'::regclass)"
        )
        functions = "SELECT count(*) FROM pg_proc WHERE proname LIKE 'account_manager_revenue_%'"
        self.assertEqual((self._psql(triggers), self._psql(functions)), ("5", "3"))
        self._assert_no_demo()

        # an account with a check-in activity of the module's type, as any live database has
        script = (
            "partner = env['res.partner'].create({'name': 'Kunde', 'is_company': True})\n"
            f"partner.activity_schedule('{MODULE}.mail_activity_type_checkin', user_id=env.uid)\n"
            f"env['ir.module.module'].search([('name', '=', '{MODULE}')])"
            ".button_immediate_uninstall()\nenv.cr.commit()\n"
        )
        log_text = self._odoo("uninstall", "shell", stdin=script)
        self.assertEqual(
            _problems(log_text),
            [],
            "the uninstall logged warnings or errors\n" + "\n".join(_problems(log_text)),
        )
        self.assertEqual(
            self._psql(f"SELECT state FROM ir_module_module WHERE name = '{MODULE}'"), "uninstalled"
        )
        self.assertEqual(self._psql("SELECT to_regclass('account_manager_tier') IS NULL"), "t")
        self.assertEqual(self._psql(cogs_index), "t", "the ledger keeps the module's index")
        self.assertEqual(
            (self._psql(triggers), self._psql(functions)),
            ("0", "0"),
            "the ledger keeps the revenue summary's triggers",
        )
        # and the ledger is written as without the module
        self._psql("UPDATE account_move_line SET balance = balance WHERE id IN "
                   "(SELECT id FROM account_move_line LIMIT 1)")  # fmt: skip
        self.assertEqual(
            self._psql("SELECT count(*) FROM ir_model WHERE model LIKE 'account.manager.%'"), "0"
        )
        self.assertEqual(
            self._psql(f"SELECT count(*) FROM ir_model_data WHERE module = '{MODULE}'"), "0"
        )

    def _assert_no_demo(self):
        """Installed without demo data, nothing of the demo is there: it is no model (the
        generator lives in demo/, a plain Python package), the post_init_hook builds it
        only where the database holds demo data, and what it builds carries xml ids
        ``account_manager_suite.demo_*`` (users, teams, customers, products, plans)."""
        self.assertEqual(
            self._psql(f"SELECT demo FROM ir_module_module WHERE name = '{MODULE}'"), "f"
        )
        models = (
            "FROM ir_model m JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id "
            f"WHERE d.module = '{MODULE}'"
        )
        # the join finds the module's models (the tiers, the ownership history ...)
        self.assertGreater(int(self._psql(f"SELECT count(*) {models}")), 30)
        self.assertEqual(
            self._psql(f"SELECT string_agg(m.model, ', ') {models} AND m.model ILIKE '%demo%'"),
            "",
            "a demo model is registered",
        )
        self.assertEqual(
            self._psql(
                "SELECT string_agg(f.model || '.' || f.name, ', ') FROM ir_model_fields f "
                "JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id "
                f"WHERE d.module = '{MODULE}' AND f.name ILIKE '%demo%'"
            ),
            "",
            "a demo field is registered",
        )
        # no record of the module's made by the demo (by its xml ids, or by the kinds of
        # records only the demo makes: people, customers, products, teams, documents)
        demo_kinds = "'res.users', 'res.partner', 'product.product', 'product.template', "
        demo_kinds += "'crm.team', 'account.move', 'sale.order', 'account.manager.quota'"
        self.assertEqual(
            self._psql(
                "SELECT string_agg(model || ':' || name, ', ') FROM ir_model_data "
                f"WHERE module = '{MODULE}' AND (name ILIKE '%demo%' OR model IN ({demo_kinds}))"
            ),
            "",
            "demo records are there",
        )
        self.assertEqual(
            self._psql(
                "SELECT count(*) FROM res_users WHERE login IN "
                "('anna', 'budi', 'clara', 'dewi', 'director')"
            ),
            "0",
        )

    def test_install_with_demo_data_cleanly(self):
        """`make run` installs the module with its demo data: a living portfolio in a
        German and an Indonesian company."""
        # Odoo loads a module's demo data only where its dependencies have theirs: start
        # from an empty database, as `make run` does (tools/odoo_db.py demo_db), not from
        # the demo-less template: the localizations' demo companies and the languages
        # first, then the module; or from the harness' cached copy of such a database
        # (AMS_DEMO_TEMPLATE_DB, odoo_db.py demo-template: the same localizations and
        # languages installed with their demo data).
        self._dropdb()
        demo_template = os.environ.get("AMS_DEMO_TEMPLATE_DB")
        subprocess.run(
            ["createdb", self.db] + (["-T", demo_template] if demo_template else []), check=True
        )
        if demo_template and Path(config.filestore(demo_template)).exists():
            shutil.copytree(config.filestore(demo_template), config.filestore(self.db))
        if not demo_template:
            log_text = self._odoo(
                "l10n",
                "-i",
                "l10n_de,l10n_id",
                "--load-language=de_DE,id_ID",
                "--stop-after-init",
            )
            self.assertEqual(_problems(log_text), [], "the localizations logged warnings or errors")
        log_text = self._odoo("install", "-i", MODULE, "--stop-after-init")
        self.assertEqual(_problems(log_text), [], "the demo install logged warnings or errors")
        # what _assert_no_demo finds absent without demo data is there with it
        self.assertEqual(
            self._psql(
                "SELECT count(*) > 0 FROM ir_model_data "
                f"WHERE module = '{MODULE}' AND name LIKE 'demo\\_%' AND model = 'res.users'"
            ),
            "t",
        )
        self._assert_two_companies()
        self._assert_users_in_their_languages()
        self._assert_portfolio()
        self._assert_assessments()
        self._assert_teams_and_quotas()
        self._assert_settled_commissions()
        self._assert_written_in_each_companys_language()

    def _assert_two_companies(self):
        """Each company invoices its own customers in its own currency, with its own chart."""
        self.assertEqual(
            self._psql(
                "SELECT string_agg(DISTINCT c.chart_template || ' ' || cur.name || ' ' || "
                "p.lang, ', ' ORDER BY c.chart_template || ' ' || cur.name || ' ' || p.lang) "
                "FROM account_move m JOIN res_company c ON c.id = m.company_id "
                "JOIN res_currency cur ON cur.id = m.currency_id "
                "JOIN res_partner p ON p.id = c.partner_id "
                "WHERE m.move_type IN ('out_invoice', 'out_refund') "
                "AND m.account_manager_id IS NOT NULL"
            ),
            "de_skr03 EUR de_DE, id IDR id_ID",
        )
        self.assertEqual(
            self._psql(
                "SELECT count(*) FROM account_move m JOIN res_partner p "
                "ON p.id = m.commercial_partner_id WHERE m.move_type = 'out_invoice' "
                "AND m.account_manager_id IS NOT NULL AND p.company_id <> m.company_id"
            ),
            "0",
        )

    def _assert_users_in_their_languages(self):
        """German users work in German in the German company, Indonesian users in
        Indonesian in the Indonesian one, the director in both."""
        self.assertEqual(
            self._psql(
                "SELECT string_agg(u.login || ':' || p.lang || ':' || "
                "(SELECT string_agg(cur.name, '+' ORDER BY cur.name) "
                "FROM res_company_users_rel r JOIN res_company c ON c.id = r.cid "
                "JOIN res_currency cur ON cur.id = c.currency_id "
                "WHERE r.user_id = u.id), ' ' ORDER BY u.login) FROM res_users u "
                "JOIN res_partner p ON p.id = u.partner_id "
                "WHERE u.login IN ('anna', 'budi', 'clara', 'dewi', 'director')"
            ),
            "anna:de_DE:EUR budi:id_ID:IDR clara:de_DE:EUR dewi:id_ID:IDR director:de_DE:EUR+IDR",
        )
        self.assertEqual(
            self._psql(
                "SELECT string_agg(DISTINCT cur.name, ',' ORDER BY cur.name) FROM "
                "account_manager_quota q JOIN res_company c ON c.id = q.company_id "
                "JOIN res_currency cur ON cur.id = c.currency_id"
            ),
            "EUR,IDR",
        )

    def _assert_written_in_each_companys_language(self):
        """What the demo's people wrote is in their company's language, German in the
        German company and Indonesian in the Indonesian one, not English: notes, planned
        check-ins and calls, job positions, risks and remedies, account plans and their
        actions, account team notes, credit notes, ownership notes, assignment rules, sales
        teams, quota and commission plans."""
        rows = self._psql(
            "SELECT cur.name, regexp_replace(t.text, '<[^>]+>', ' ', 'g') FROM ("
            "SELECT p.company_id, m.body AS text FROM mail_message m JOIN res_partner p "
            "ON m.model = 'res.partner' AND p.id = m.res_id WHERE m.message_type = 'comment' "
            "UNION ALL SELECT p.company_id, a.summary FROM mail_activity a JOIN res_partner p "
            "ON a.res_model = 'res.partner' AND p.id = a.res_id "
            "UNION ALL SELECT o.company_id, a.summary FROM mail_activity a JOIN sale_order o "
            "ON a.res_model = 'sale.order' AND o.id = a.res_id "
            "UNION ALL SELECT company_id, function FROM res_partner WHERE function IS NOT NULL "
            "UNION ALL SELECT company_id, at_risk_note || ' ' || remediation_plan "
            "FROM res_partner WHERE at_risk "
            "UNION ALL SELECT company_id, concat_ws(' ', name, customer_goals, "
            "value_proposition, objectives) FROM account_manager_account_plan "
            "UNION ALL SELECT company_id, name FROM account_manager_account_plan_action "
            "UNION ALL SELECT company_id, note FROM account_manager_team_member WHERE note <> '' "
            "UNION ALL SELECT company_id, ref FROM account_move WHERE move_type = 'out_refund' "
            "UNION ALL SELECT company_id, note FROM account_manager_ownership WHERE note <> '' "
            "UNION ALL SELECT company_id, name->>'en_US' FROM account_manager_assignment_rule "
            "UNION ALL SELECT company_id, name->>'en_US' FROM crm_team "
            "WHERE id IN (SELECT team_id FROM account_manager_quota) "
            "UNION ALL SELECT company_id, name FROM account_manager_quota_plan "
            "UNION ALL SELECT company_id, name FROM account_manager_commission_plan"
            ") t JOIN res_company c ON c.id = t.company_id "
            "JOIN res_currency cur ON cur.id = c.currency_id "
            "WHERE cur.name IN ('EUR', 'IDR') AND btrim(t.text) <> ''"
        ).splitlines()
        words = {
            "en": r"the|with|and|of|to|for|about|our|their|is|asked|call|owner|director|due"
            r"|last|cadence|days|unhappy|customer|payment|won|by|considering|competitor"
            r"|delivery",
            "EUR": r"der|die|das|den|dem|mit|und|ist|für|zum|zur|ein|eine|im|am|an",
            "IDR": r"dan|dengan|yang|di|untuk|ke|tentang|kami|mereka|sebelum|oleh",
        }
        other = {"EUR": "IDR", "IDR": "EUR"}
        own = {"EUR": 0, "IDR": 0}
        for row in rows:
            currency, text = row.split("|", 1)
            with self.subTest(currency=currency, text=text):
                self.assertNotRegex(text, rf"(?i)\b({words['en']})\b", "English in the demo")
                self.assertNotRegex(text, rf"\b({words[other[currency]]})\b", "the other's")
            own[currency] += bool(re.search(rf"\b({words[currency]})\b", text))
        self.assertGreater(len(rows), 250)
        self.assertGreater(min(own.values()), 50, own)

    def _assert_portfolio(self):
        """Accounts spread over the managers, scored, with posted invoices."""
        accounts = self._psql(
            "SELECT count(*) FROM res_partner WHERE account_manager_id IS NOT NULL "
            "AND parent_id IS NULL"
        )
        self.assertGreaterEqual(int(accounts), 35)
        self.assertEqual(
            self._psql(
                "SELECT count(DISTINCT account_manager_id) >= 4, "
                "bool_and(health_score IS NOT NULL) FROM res_partner "
                "WHERE account_manager_id IS NOT NULL AND parent_id IS NULL"
            ),
            "t|t",
        )
        self.assertEqual(
            self._psql(
                "SELECT count(*) > 0 FROM account_move WHERE state = 'posted' "
                "AND move_type = 'out_invoice' AND account_manager_id IS NOT NULL"
            ),
            "t",
        )

    def _assert_assessments(self):
        """Customer assessments over the last year, the accounts at risk found unhappy."""
        self.assertEqual(
            self._psql(
                "SELECT count(*) >= 80, bool_and(a.account_manager_id IS NOT NULL), "
                "(SELECT bool_and(satisfaction::int <= 2) FROM account_manager_assessment x "
                "JOIN res_partner r ON r.id = x.partner_id WHERE r.at_risk "
                "AND x.date = r.at_risk_since) FROM account_manager_assessment a"
            ),
            "t|t|t",
        )

    def _assert_teams_and_quotas(self):
        """Two key-account teams: every manager's quotas roll up into one; quotas for this
        year, one manager on probation, one closed quarter above 120%."""
        self.assertEqual(
            self._psql(
                "SELECT string_agg(DISTINCT t.name->>'en_US', ', ' ORDER BY t.name->>'en_US'), "
                "bool_and(q.team_id IS NOT NULL) FROM account_manager_quota q "
                "LEFT JOIN crm_team t ON t.id = q.team_id"
            ),
            "Akun Kunci Asia, Key Accounts Europa|t",
        )
        self.assertEqual(
            self._psql(
                "SELECT count(*) > 0 FROM account_manager_quota "
                "WHERE date_part('year', date_from) = date_part('year', now())"
            ),
            "t",
        )
        self.assertEqual(
            self._psql("SELECT count(*) FROM res_users WHERE ams_performance_state = 'probation'"),
            "1",
        )
        self.assertEqual(
            self._psql(
                "SELECT max(attainment) >= 120 FROM account_manager_quota WHERE state = 'closed'"
            ),
            "t",
        )

    def _assert_settled_commissions(self):
        """A settled commission in each company's books."""
        self.assertEqual(
            self._psql(
                "SELECT string_agg(u.login, ',' ORDER BY u.login) "
                "FROM account_manager_commission_settlement s "
                "JOIN account_move m ON m.id = s.bill_id AND m.company_id = s.company_id "
                "JOIN res_users u ON u.id = s.user_id WHERE m.state = 'posted'"
            ),
            "anna,budi",
        )
