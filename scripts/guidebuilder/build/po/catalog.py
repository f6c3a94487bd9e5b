"""`make po`: a POT template of the source language and a PO file per other language, per guide.

    po/<slug>/<slug>.pot, po/<slug>/<lang>.po     the guide's texts (steps.yaml)
    po/_strings/strings.pot, po/_strings/<lang>.po the builder's own words (guide/strings/)

Each export reads the PO file it replaces first: that file is the memory of the source text each
translation was made from. An entry whose source text changed since then comes back `fuzzy`, with
the old source as `#| msgid`; a translation made in the PO file and not yet imported is kept. The
files carry no clock time (SOURCE_DATE_EPOCH, or the last commit's), so two exports are identical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polib
from babel.messages.plurals import get_plural

from guidebuilder.build.po.entries import Entry, guide_entries, strings_entries
from guidebuilder.errors import GuideError, Problem
from guidebuilder.limits import MAX_PO_BYTES, read_capped
from guidebuilder.model import Guide
from guidebuilder.source import yamlsource
from guidebuilder.source.strings import strings_dir

PO_FOLDER = "po"
STRINGS_DOMAIN = "_strings"  # a slug cannot start with "_": never a guide's folder
WRAP = 79


@dataclass(frozen=True)
class Domain:
    """One set of PO files: a guide's texts, or the builder's words."""

    name: str  # the folder under po/, and the POT's name
    languages: tuple[str, ...]  # the source language first
    entries: list[Entry]
    sources: dict[str, yamlsource.Source]  # code -> its YAML file read, for `#:` lines
    files: dict[str, Path]  # code -> that YAML file, where the import writes

    def folder(self, root: Path) -> Path:
        return root / PO_FOLDER / self.name

    def po_file(self, root: Path, code: str) -> Path:
        return self.folder(root) / f"{code}.po"


def guide_domain(guide: Guide) -> Domain:
    source = yamlsource.load(guide.file, guide.shown_file)
    return Domain(guide.slug, guide.codes, guide_entries(guide), dict.fromkeys(guide.codes, source),
                  dict.fromkeys(guide.codes, guide.file))


def strings_domain(root: Path, codes: tuple[str, ...]) -> Domain:
    files = {code: strings_dir(root) / f"{code}.yaml" for code in codes}
    sources = {code: yamlsource.load(path, f"guide/strings/{code}.yaml") for code, path in files.items()}
    words = {code: s.data if isinstance(s.data, dict) else {} for code, s in sources.items()}
    return Domain(STRINGS_DOMAIN, codes, strings_entries(words), sources, files)


def read_po_text(path: Path, shown: str) -> str | None:
    """The PO file's text, or None when there is none yet; refused like a YAML file when it is not
    a regular UTF-8 file within the limits (guidebuilder.limits)."""
    if not path.exists():
        return None
    try:
        raw = read_capped(path, shown, MAX_PO_BYTES, "check that this is the right file")
        return raw.decode("utf-8")
    except OSError as exc:
        raise GuideError(Problem(shown, 0, f"cannot read the file ({exc.strerror})")) from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise GuideError(Problem(shown, line, "the file is not UTF-8; save it as UTF-8 (Poedit and "
                                 "Weblate do)")) from None


def read_po(path: Path, shown: str, text: str | None = None) -> polib.POFile | None:
    """The PO file read by polib, or None when there is none yet."""
    text = read_po_text(path, shown) if text is None else text
    if text is None:
        return None
    try:
        return polib.pofile(text, wrapwidth=WRAP)
    except (OSError, ValueError) as exc:  # polib reports a syntax error as an OSError
        raise GuideError(Problem(shown, 0, f"polib cannot read it ({exc}); restore it from git, "
                                 "or delete it and run make po")) from None


def export(domain: Domain, root: Path, epoch: str) -> list[Path]:
    """Write the domain's POT and PO files; return them."""
    folder = domain.folder(root)
    folder.mkdir(parents=True, exist_ok=True)
    first = domain.languages[0]
    written = [_write(_catalog(domain, first, None, epoch, template=True),
                      folder / f"{domain.name.lstrip('_')}.pot")]
    for code in domain.languages[1:]:
        path = domain.po_file(root, code)
        old = read_po(path, f"{PO_FOLDER}/{domain.name}/{code}.po")
        written.append(_write(_catalog(domain, code, old, epoch), path))
    return written


def _write(catalog: polib.POFile, path: Path) -> Path:
    """Write the file unless only its POT-Creation-Date would change: po/ is committed, and a new
    commit (hence a new SOURCE_DATE_EPOCH) alone must not touch every PO file."""
    text = str(catalog) + "\n"
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    if old is None or _undated(old) != _undated(text):
        path.write_text(text, encoding="utf-8")
    return path


def _undated(text: str) -> str:
    return re.sub(r'^"POT-Creation-Date: .*"$', "", text, count=1, flags=re.MULTILINE)


def _catalog(domain: Domain, code: str, old: polib.POFile | None, epoch: str,
             template: bool = False) -> polib.POFile:
    catalog = polib.POFile(wrapwidth=WRAP)
    catalog.header = (f"Translation of {domain.name} ({'template' if template else code}).\n"
                      "Written by `make po`; translate with Poedit or Weblate, then `make po-import`.")
    catalog.metadata = _metadata(domain, code, old, epoch, template)
    first = domain.languages[0]
    remembered = {e.msgctxt: e for e in old if not e.obsolete} if old else {}
    for entry in domain.entries:
        msgid = entry.text(first) or ""
        line = domain.sources[first].line(entry.source_path or entry.where(first))
        po_entry = polib.POEntry(msgctxt=entry.context, msgid=msgid, comment=entry.comment_in(code),
                                 occurrences=[(domain.sources[first].file, str(line))])
        if not template:
            _merge(po_entry, remembered.pop(entry.context, None), entry.text(code) or "")
        catalog.append(po_entry)
    for gone in remembered.values():  # a step removed: its translation kept out of the way
        if gone.msgstr:
            gone.obsolete = True
            catalog.append(gone)
    return catalog


def _merge(entry: polib.POEntry, old: polib.POEntry | None, in_yaml: str) -> None:
    """The translation: the PO file's when it has one (made in an editor, maybe not imported yet),
    else steps.yaml's; fuzzy when the source changed since the PO file's translation was made."""
    entry.msgstr = old.msgstr if old and old.msgstr else in_yaml
    if old is None or not entry.msgstr:
        return
    if old.msgid != entry.msgid:
        entry.flags.append("fuzzy")
        entry.previous_msgid = old.previous_msgid if "fuzzy" in old.flags and old.previous_msgid \
            else old.msgid
    elif "fuzzy" in old.flags:
        entry.flags.append("fuzzy")
        entry.previous_msgid = old.previous_msgid


def _metadata(domain: Domain, code: str, old: polib.POFile | None, epoch: str,
              template: bool) -> dict[str, str]:
    date = datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%d %H:%M+0000")
    kept = dict(old.metadata) if old else {}  # Last-Translator, X-Generator... set by the editor
    metadata = {
        "Project-Id-Version": domain.name,
        "POT-Creation-Date": date,
        "PO-Revision-Date": kept.get("PO-Revision-Date", date),
        "Last-Translator": kept.get("Last-Translator", ""),
        "Language-Team": kept.get("Language-Team", ""),
        "Language": "" if template else code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": get_plural(code.replace("-", "_")).plural_forms,
    }
    return {**metadata, **{k: v for k, v in kept.items() if k not in metadata}}


def fuzzy_counts(root: Path, slug: str) -> dict[str, int] | None:
    """Fuzzy entries per language in po/<slug>/, or None when the guide has no PO file yet."""
    files = sorted((root / PO_FOLDER / slug).glob("*.po"))
    if not files:
        return None
    counts = {}
    for path in files:
        catalog = read_po(path, f"{PO_FOLDER}/{slug}/{path.name}")
        counts[path.stem] = len([e for e in catalog.fuzzy_entries() if not e.obsolete])
    return counts
