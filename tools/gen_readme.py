"""README.rst and static/description/index.html of the addon, from its readme/ fragments.

The layout is the one OCA's ``oca-gen-addon-readme`` (OCA/maintainer-tools) writes: title,
the "generated" banner with a digest of the sources, maturity and licence badges, the
description, a table of contents, then Configuration, Usage, Known issues / Roadmap,
Changelog, Bug Tracker and Credits (Authors, Contributors, Maintainers). That tool is not
published on a package registry, so the project keeps this equivalent: the fragments are
Markdown (converted with ``markdown-it-py``), the HTML page is docutils' rendering of the
README, as OCA's is.

    python tools/gen_readme.py           # write README.rst and index.html
    python tools/gen_readme.py --check   # exit 1 (with a diff) when they are out of date

``make readme`` runs the first, ``make lint`` the second.
"""

import argparse
import ast
import difflib
import hashlib
import sys
from pathlib import Path

from docutils.core import publish_string
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "account_manager_suite"

# fragment | section title; the order of OCA's template. DESCRIPTION comes first, untitled.
SECTIONS = (
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ARCHITECTURE", "Architecture"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
)
FRAGMENTS = ("DESCRIPTION", *(name for name, _title in SECTIONS), "CONTRIBUTORS", "CREDITS")
# section levels below a "=" title: a fragment's own headings, shallowest first
SUB_UNDERLINES = "-~^"
MATURITY_COLORS = {
    "Alpha": "red",
    "Beta": "yellow",
    "Production/Stable": "green",
    "Mature": "brightgreen",
}
LICENCE_URLS = {
    "LGPL-3": "http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
    "AGPL-3": "http://www.gnu.org/licenses/agpl-3.0-standalone.html",
    "GPL-3": "http://www.gnu.org/licenses/gpl-3.0-standalone.html",
    "OPL-1": "https://www.odoo.com/documentation/master/legal/licenses.html",
}


# ------------------------------------------------------------------ Markdown -> rst


class RstWriter:
    """The CommonMark subset the fragments use, as reStructuredText: headings,
    paragraphs, bullet and ordered lists (nested), emphasis, strong, inline code, links,
    code blocks, block quotes, tables."""

    def __init__(self, text, top_level=None):
        self.tokens = MarkdownIt("commonmark").enable("table").parse(text)
        levels = [int(t.tag[1]) for t in self.tokens if t.type == "heading_open"]
        self.top = top_level or (min(levels) if levels else 1)

    def render(self):
        blocks, _pos = self._blocks(0, None)
        return "\n\n".join(blocks).strip() + "\n"

    # blocks --------------------------------------------------------------------------
    def _blocks(self, pos, until):
        """Render block tokens from ``pos`` to the closing token ``until``."""
        blocks = []
        tokens = self.tokens
        while pos < len(tokens) and tokens[pos].type != until:
            token = tokens[pos]
            kind = token.type
            if kind == "heading_open":
                title = self._inline(tokens[pos + 1])
                depth = min(int(token.tag[1]) - self.top, len(SUB_UNDERLINES) - 1)
                blocks.append(f"{title}\n{SUB_UNDERLINES[depth] * _width(title)}")
                pos += 3
            elif kind == "paragraph_open":
                blocks.append(self._inline(tokens[pos + 1]))
                pos += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                text, pos = self._list(pos)
                blocks.append(text)
            elif kind in ("fence", "code_block"):
                language = (token.info or "").strip().split(" ")[0]
                head = f".. code-block:: {language}" if language else "::"
                body = _indent(token.content.rstrip("\n"), "   ")
                blocks.append(f"{head}\n\n{body}")
                pos += 1
            elif kind == "blockquote_open":
                inner, pos = self._blocks(pos + 1, "blockquote_close")
                blocks.append(_indent("\n\n".join(inner), "   "))
                pos += 1
            elif kind == "table_open":
                text, pos = self._table(pos)
                blocks.append(text)
            elif kind == "hr":
                blocks.append("----")
                pos += 1
            elif kind == "html_block":
                blocks.append(".. raw:: html\n\n" + _indent(token.content.rstrip("\n"), "   "))
                pos += 1
            else:
                raise ValueError(f"Markdown element {kind!r} is not supported in the fragments")
        return blocks, pos

    def _list(self, pos):
        ordered = self.tokens[pos].type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        start = int(self.tokens[pos].attrs.get("start", 1)) if ordered else 1
        pos += 1
        items = []
        while self.tokens[pos].type != close:
            # list_item_open
            inner, pos = self._blocks(pos + 1, "list_item_close")
            marker = f"{start + len(items)}. " if ordered else "- "
            body = "\n\n".join(inner)
            items.append(marker + _indent(body, " " * len(marker))[len(marker) :])
            pos += 1  # list_item_close
        tight = not any("\n\n" in item for item in items)
        return ("\n" if tight else "\n\n").join(items), pos + 1

    def _table(self, pos):
        rows, row = [], None
        while self.tokens[pos].type != "table_close":
            token = self.tokens[pos]
            if token.type == "tr_open":
                row = []
            elif token.type == "inline":
                row.append(self._inline(token).replace("\n", " "))
            elif token.type == "tr_close":
                rows.append(row)
            pos += 1
        widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
        border = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        header = border.replace("-", "=")

        def line(cells):
            return (
                "|"
                + "|".join(
                    f" {c}{' ' * (w - _width(c))} " for c, w in zip(cells, widths, strict=True)
                )
                + "|"
            )

        out = [border, line(rows[0]), header]
        for cells in rows[1:]:
            out += [line(cells), border]
        return "\n".join(out), pos + 1

    # inline --------------------------------------------------------------------------
    def _inline(self, token):
        out, link = [], None
        for child in token.children:
            kind = child.type
            if kind == "text":
                out.append(_escape(child.content))
            elif kind == "code_inline":
                out.append(f"``{child.content}``")
            elif kind in ("em_open", "em_close"):
                out.append("*")
            elif kind in ("strong_open", "strong_close"):
                out.append("**")
            elif kind == "softbreak":
                out.append("\n")
            elif kind == "hardbreak":
                out.append("\n| ")
            elif kind == "link_open":
                link = (len(out), child.attrs["href"])
            elif kind == "link_close":
                start, href = link
                label = "".join(out[start:])
                out[start:] = [f"`{label} <{href}>`__"]
                link = None
            elif kind == "image":
                out.append(f"\n\n.. image:: {child.attrs['src']}\n   :alt: {child.content}\n\n")
            elif kind == "html_inline":
                out.append(child.content)
            else:
                raise ValueError(f"Markdown element {kind!r} is not supported in the fragments")
        return "".join(out)


def _escape(text):
    # characters that start inline markup in rst but are plain text in the fragments
    return text.replace("\\", "\\\\").replace("`", "\\`").replace("|", "\\|")


def _indent(text, prefix):
    return "\n".join(prefix + line if line else line for line in text.splitlines())


def _width(text):
    return len(text)


def md_to_rst(text):
    return RstWriter(text).render()


# ------------------------------------------------------------------ the README


def _title(text, char, over=False):
    rule = char * _width(text)
    return f"{rule}\n{text}\n{rule}" if over else f"{text}\n{rule}"


def fragments(addon):
    found = {}
    for name in FRAGMENTS:
        for suffix, convert in ((".md", md_to_rst), (".rst", lambda t: t.strip() + "\n")):
            path = addon / "readme" / f"{name}{suffix}"
            if path.exists() and path.read_text().strip():
                found[name] = (path, convert(path.read_text()))
                break
    return found


# the manifest's keys the README shows: another data file in the manifest changes nothing
MANIFEST_KEYS = ("name", "version", "license", "author", "website", "development_status")


def source_digest(manifest, found):
    """Of the fragments and the manifest's keys shown, as OCA's banner has it."""
    digest = hashlib.sha256()
    digest.update(repr([manifest.get(key) for key in MANIFEST_KEYS]).encode())
    for name in sorted(found):
        path = found[name][0]
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def readme_rst(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    found = fragments(addon)
    if "DESCRIPTION" not in found:
        raise SystemExit(f"{addon}/readme/DESCRIPTION.md is missing")
    maturity = manifest.get("development_status", "Beta")
    licence = manifest.get("license", "LGPL-3")
    website = manifest.get("website", "").rstrip("/")
    parts = [
        _title(manifest["name"], "=", over=True),
        "..\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        "   !! This file is generated by tools/gen_readme.py    !!\n"
        "   !! from readme/*.md: changes here are overwritten.  !!\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        f"   !! source digest: sha256:{source_digest(manifest, found)}\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        f".. |badge1| image:: https://img.shields.io/badge/maturity-"
        f"{maturity.replace('/', '%2F').replace('-', '--')}-"
        f"{MATURITY_COLORS.get(maturity, 'lightgrey')}.png\n"
        "    :target: https://odoo-community.org/page/development-status\n"
        f"    :alt: {maturity}\n"
        f".. |badge2| image:: https://img.shields.io/badge/licence-"
        f"{licence.replace('-', '--')}-blue.png\n"
        f"    :target: {LICENCE_URLS.get(licence, website)}\n"
        f"    :alt: License: {licence}",
        "|badge1| |badge2|",
        found["DESCRIPTION"][1].strip(),
        "**Table of contents**\n\n.. contents::\n   :local:",
    ]
    for name, title in SECTIONS:
        if name in found:
            parts += [_title(title, "="), found[name][1].strip()]
    if website:
        parts += [
            _title("Bug Tracker", "="),
            f"Bugs are tracked on `GitHub Issues <{website}/issues>`_. In case of trouble, "
            "please check there if your issue has already been reported. If you spotted it "
            f"first, help us to smash it by providing a detailed and welcomed\n"
            f"`feedback <{website}/issues/new?body=module:%20{addon.name}%0A"
            f"version:%20{manifest['version'].rsplit('.', 3)[0]}"
            "%0A%0A**Steps%20to%20reproduce**%0A-%20...%0A%0A**Current%20behavior**%0A%0A"
            "**Expected%20behavior**>`_.\n\n"
            "Do not contact contributors directly about support or help with technical "
            "issues.",
        ]
    parts += [_title("Credits", "="), _title("Authors", "-")]
    parts.append(
        "\n".join(f"- {author.strip()}" for author in manifest.get("author", "").split(","))
    )
    for name, title in (("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits")):
        if name in found:
            parts += [_title(title, "-"), found[name][1].strip()]
    parts += [_title("Maintainers", "-")]
    maintained = f"This module is maintained by {manifest.get('author', 'its authors')}"
    parts.append(
        f"{maintained}: `{addon.name} <{website}>`_ on GitHub." if website else f"{maintained}."
    )
    return "\n\n".join(parts) + "\n"


def index_html(rst_text):
    html = publish_string(
        rst_text,
        writer_name="html4css1",
        settings_overrides={
            "embed_stylesheet": True,
            "xml_declaration": False,  # Odoo warns about it in module descriptions
            "halt_level": 2,  # a warning in the README is an error
            "report_level": 2,
            "output_encoding": "unicode",
            "_disable_config": True,
        },
    )
    return html if html.endswith("\n") else html + "\n"


def outputs(addon):
    rst_text = readme_rst(addon)
    return {
        addon / "README.rst": rst_text,
        addon / "static" / "description" / "index.html": index_html(rst_text),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when the files differ")
    parser.add_argument("--addon-dir", type=Path, default=ADDON)
    args = parser.parse_args()
    stale = []
    for path, text in outputs(args.addon_dir.resolve()).items():
        current = path.read_text() if path.exists() else ""
        if current == text:
            continue
        if args.check:
            stale.append(path)
            diff = difflib.unified_diff(
                current.splitlines(True), text.splitlines(True), str(path), "regenerated", n=1
            )
            sys.stdout.writelines(list(diff)[:60])
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
        print(f"\n{names}: out of date with readme/; run `make readme` and commit.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
