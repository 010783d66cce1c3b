"""Every term the module adds is translated into German and Indonesian."""

from pathlib import Path

import polib

from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "account_manager_suite"
I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_term_is_translated(self):
        # a source file Babel cannot read (e.g. an f-string among the arguments of
        # ``_()``) loses its terms from that point on: that is a failure too
        with self.assertNoLogs("odoo.tools.translate", "ERROR"):
            reader = TranslationModuleReader(self.env.cr, modules=[MODULE])
            terms = {source for module, *_, source, _value, _comments in reader if module == MODULE}
        self.assertGreater(len(terms), 100)
        pot = {entry.msgid for entry in polib.pofile(str(I18N / f"{MODULE}.pot"))}
        self.assertFalse(
            sorted(terms - pot)[:20],
            "terms missing from the .pot: run `make i18n` and translate the new terms",
        )
        for lang in ("de", "id"):
            po = polib.pofile(str(I18N / f"{lang}.po"))
            self.assertEqual(po.metadata.get("Language"), lang)
            translated = {
                entry.msgid
                for entry in po
                if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
            }
            missing = sorted(terms - translated)
            self.assertFalse(missing[:20], f"{len(missing)} terms untranslated in i18n/{lang}.po")

    def test_german_and_indonesian_load(self):
        for lang, name in (("de", "Kundenstufe"), ("id", "Tingkat Pelanggan")):
            self.env["res.lang"]._activate_lang(f"{lang}_DE" if lang == "de" else "id_ID")
            code = "de_DE" if lang == "de" else "id_ID"
            self.env["ir.module.module"]._load_module_terms([MODULE], [code], overwrite=True)
            description = (
                self.env["ir.model"].with_context(lang=code)._get("account.manager.tier").name
            )
            self.assertEqual(description, name)

    def test_every_record_a_translation_refers_to_exists(self):
        """Translations of records are loaded by the xml ids of their ``#:`` references: a
        reference to a renamed or removed record (a model's ``model_…``, a field's
        ``field_…``, a view) loses its translation silently."""
        for name in (f"{MODULE}.pot", "de.po", "id.po"):
            xmlids = {
                reference.rsplit(":", 1)[1]
                for entry in polib.pofile(str(I18N / name))
                for reference, _line in entry.occurrences
                if reference.startswith(("model:", "model_terms:"))
            }
            self.assertGreater(len(xmlids), 100)
            missing = sorted(x for x in xmlids if not self.env.ref(x, raise_if_not_found=False))
            self.assertFalse(missing[:20], f"{len(missing)} references of i18n/{name} lost")
