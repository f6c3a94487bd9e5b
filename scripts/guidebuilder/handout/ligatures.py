"""Arabic ligatures that copy out of the PDF as the letters they are made of, in any reader.

Noto Sans Arabic draws lam-alef (لا, لأ, لإ, لآ) and lam-alef maksura (لى) as one ligature glyph,
a required ligature (`rlig`: it cannot be turned off without breaking lam-alef). WeasyPrint maps
that one glyph to its two letters in the PDF's ToUnicode table, in reading order, as the PDF
standard says. Poppler (pdftotext, Evince, Okular), pdfminer and PyMuPDF then reverse the glyphs of
a right-to-left line but not the letters inside one glyph: "على" is copied as "عىل", "الإعدادات"
as "اإلعدادات".

So the handouts embed a copy of the font in which each such ligature is made by context instead:
the lam becomes the ligature glyph (drawn over both letters, with their whole width) and each letter
after it an empty glyph of width zero. Every glyph then stands for one letter, and the page looks
the same. Kept out: ligatures with a mark as a component; and a mark between lam and alef (لَا) is
placed by the ligature glyph's own anchor, not the lam's.

    data = split_ligatures(Path("NotoSansArabic-Regular.ttf").read_bytes())
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables
from fontTools.ttLib.tables._g_l_y_f import Glyph

MARK = 3  # GDEF glyph class


@dataclass(frozen=True)
class Ligature:
    components: tuple[str, ...]  # glyph names, first the one that becomes the ligature
    glyph: str
    flag: int  # the lookup flag it was made under (right to left, ignore marks)


def split_ligatures(data: bytes) -> bytes:
    """The font with its required ligatures made by context: one glyph per letter."""
    font = TTFont(io.BytesIO(data))
    gsub = font["GSUB"].table
    features = [record.Feature for record in gsub.FeatureList.FeatureRecord if record.FeatureTag == "rlig"]
    ligatures = _take_ligatures(font, sorted({i for f in features for i in f.LookupListIndex}))
    if not ligatures:
        return data
    empty = _add_empty_glyphs(font, dict.fromkeys(g for lig in ligatures for g in lig.components[1:]))
    for flag in dict.fromkeys(lig.flag for lig in ligatures):
        added = _by_context(gsub.LookupList, [lig for lig in ligatures if lig.flag == flag], empty, flag)
        for feature in features:
            feature.LookupListIndex.extend(added)
            feature.LookupCount = len(feature.LookupListIndex)
    out = io.BytesIO()
    font.recalcTimestamp = False  # the same bytes from one build to the next
    font.save(out)
    return out.getvalue()


def _by_context(lookup_list, ligatures: list[Ligature], empty: dict[str, str], flag: int) -> list[int]:
    """Append the lookups that make `ligatures` by context; return the two a feature must list."""
    lookups = lookup_list.Lookup
    first = len(lookups)
    lookups.extend(_single({lig.components[0]: lig.glyph}, flag) for lig in ligatures)
    rest = len(lookups)
    lookups.append(_single({glyph: empty[glyph] for lig in ligatures for glyph in lig.components[1:]},
                           flag))
    # The lam becomes the ligature where its letters follow; then the letters after that ligature
    # become their empty glyphs.
    lookups.append(_chained([((), lig.components[:1], lig.components[1:], [(0, first + n)])
                             for n, lig in enumerate(ligatures)], flag))
    lookups.append(_chained([((lig.glyph,), lig.components[1:], (),
                              [(k, rest) for k in range(len(lig.components) - 1)])
                             for lig in ligatures], flag))
    lookup_list.LookupCount = len(lookups)
    return [len(lookups) - 2, len(lookups) - 1]


def _take_ligatures(font: TTFont, indexes: list[int]) -> list[Ligature]:
    """Remove the ligatures of letters (no mark among them) from those lookups, and return them."""
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    taken = []
    for index in indexes:
        lookup = font["GSUB"].table.LookupList.Lookup[index]
        if lookup.LookupType != 4:
            continue
        for subtable in lookup.SubTable:
            for first, entries in list(subtable.ligatures.items()):
                kept = []
                for entry in entries:
                    components = (first, *entry.Component)
                    if any(classes.get(glyph) == MARK for glyph in components):
                        kept.append(entry)
                    else:
                        taken.append(Ligature(components, entry.LigGlyph, lookup.LookupFlag))
                if kept:
                    subtable.ligatures[first] = kept
                else:
                    del subtable.ligatures[first]
    return taken


def _add_empty_glyphs(font: TTFont, glyphs) -> dict[str, str]:
    """One new empty glyph of width zero per letter glyph, so that each keeps its own text."""
    order = font.getGlyphOrder()
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    empty = {}
    for glyph in glyphs:
        name = empty[glyph] = f"{glyph}.inlig"
        order.append(name)
        font["glyf"].glyphs[name] = Glyph()
        font["hmtx"].metrics[name] = (0, 0)
        classes[name] = 1  # a base glyph, as the letter was
    font.setGlyphOrder(order)
    font["maxp"].numGlyphs = len(order)
    return empty


def _lookup(kind: int, flag: int, subtables: list) -> otTables.Lookup:
    lookup = otTables.Lookup()
    lookup.LookupType, lookup.LookupFlag = kind, flag
    lookup.SubTable, lookup.SubTableCount = subtables, len(subtables)
    return lookup


def _single(mapping: dict[str, str], flag: int) -> otTables.Lookup:
    subtable = otTables.SingleSubst()
    subtable.mapping = dict(mapping)
    return _lookup(1, flag, [subtable])


def _coverages(glyphs) -> list[otTables.Coverage]:
    result = []
    for glyph in glyphs:
        coverage = otTables.Coverage()
        coverage.glyphs = [glyph]
        result.append(coverage)
    return result


def _chained(rules, flag: int) -> otTables.Lookup:
    """A chained-context lookup, one subtable per rule: (before, input, after, [(position, lookup)])."""
    subtables = []
    for before, glyphs, after, records in rules:
        subtable = otTables.ChainContextSubst()
        subtable.Format = 3
        subtable.BacktrackCoverage = _coverages(reversed(before))
        subtable.InputCoverage = _coverages(glyphs)
        subtable.LookAheadCoverage = _coverages(after)
        subtable.BacktrackGlyphCount, subtable.InputGlyphCount, subtable.LookAheadGlyphCount = (
            len(before), len(glyphs), len(after))
        subtable.SubstLookupRecord = []
        for position, index in records:
            record = otTables.SubstLookupRecord()
            record.SequenceIndex, record.LookupListIndex = position, index
            subtable.SubstLookupRecord.append(record)
        subtable.SubstCount = len(records)
        subtables.append(subtable)
    return _lookup(6, flag, subtables)
