"""The two commands over the project's guides (all, or the one of --guide): export and import.

Both start from guides that pass `make check`, and both treat the builder's words (guide/strings/,
shared by every guide) as one more domain, in the languages of the selected guides.
"""

from __future__ import annotations

from pathlib import Path

from guidebuilder.build.check import Checked, check_shelf
from guidebuilder.build.po.catalog import PO_FOLDER, Domain, export, guide_domain, strings_domain
from guidebuilder.build.po.importer import LanguageImport, new_texts, read_domain
from guidebuilder.errors import GuideError, Problem
from guidebuilder.project import find_project
from guidebuilder.store import Store


def domains(selected: tuple[Checked, ...], root: Path) -> list[Domain]:
    codes = tuple(dict.fromkeys(code for checked in selected for code in checked.guide.codes))
    return [*(guide_domain(checked.guide) for checked in selected), strings_domain(root, codes)]


def _checked(root: Path, cache: Path | None, only: str | None) -> tuple[Checked, ...]:
    project = find_project(root)
    return check_shelf(project, Store.for_project(project.root, cache), only).selected


def export_po(root: Path, cache: Path | None, only: str | None, epoch: str) -> list[str]:
    """Write every selected guide's POT and PO files (and the builder's words'); one line each."""
    root = root.resolve()
    lines = []
    for domain in domains(_checked(root, cache, only), root):
        for path in export(domain, root, epoch):
            lines.append(f"po: {path.relative_to(root).as_posix()}")
    return lines


def import_po(root: Path, cache: Path | None, only: str | None) -> list[str]:
    """Write the PO files' translations into the YAML files, or raise GuideError and write nothing."""
    root = root.resolve()
    imports: list[tuple[Domain, dict[str, LanguageImport]]] = []
    problems: list[Problem] = []
    for domain in domains(_checked(root, cache, only), root):
        found, wrong = read_domain(domain, root)
        imports.append((domain, found))
        problems += wrong
    if problems:
        raise GuideError(problems)
    if not any(found for _, found in imports):
        return [f"no PO files in {PO_FOLDER}/ yet; run make po first"]
    texts: dict[Path, str] = {}
    for domain, found in imports:
        texts.update(new_texts(domain, found))
    _write_checked(texts, root, cache, only)
    return [line for _, found in imports for result in found.values() for line in result.lines()]


def _write_checked(texts: dict[Path, str], root: Path, cache: Path | None, only: str | None) -> None:
    """Write the files, then check the guides as `make check` does; put the old files back if the
    check fails. The check reads the files themselves (strings, screenshots), hence written first."""
    before = {path: path.read_bytes() for path in texts}
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")
    try:
        _checked(root, cache, only)
    except GuideError as exc:
        _restore(before)
        raise GuideError([*exc.problems, Problem(
            PO_FOLDER, 0, "the problems above are in the files as the import would have written "
            "them; they were put back unchanged. Correct the translations in the PO files")]) from None
    except BaseException:  # interrupted, or a bug: never leave half an import behind
        _restore(before)
        raise


def _restore(before: dict[Path, bytes]) -> None:
    for path, data in before.items():
        path.write_bytes(data)
