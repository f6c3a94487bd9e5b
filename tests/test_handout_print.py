"""What a reader holding the printed handout meets, on the small fixture guide (tool tests: no
counts of the shipped guide): the guide's address, the done-marks, pages, pictures, Arabic text."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebuilder.model import is_placeholder_url
from handoutkit import edit, needs_poppler, needs_zbar, pdftotext, printed, qr_codes, render_project

REAL_URL = "https://bibliotheque.lyon.fr/guides/test/"


@pytest.mark.parametrize(("url", "placeholder"), [
    ("https://guides.example.org/stop-grok-training/", True),
    ("https://example.com/", True),
    ("https://www.example.net/guides/", True),
    ("https://guides.library.test/", True),
    ("https://guides.invalid/", True),
    ("http://localhost:8000/", True),
    ("https://guides.example/", True),
    ("https://bibliotheque.lyon.fr/guides/", False),
    ("https://example.org.evil.com/", False),
    ("https://notexample.org/", False),
])
def test_placeholder_addresses(url: str, placeholder: bool):
    assert is_placeholder_url(url) is placeholder


@needs_zbar
@needs_poppler
def test_a_placeholder_address_is_never_printed_nor_in_a_qr_code(project: Path, tmp_path: Path):
    pdfs = render_project(project, langs=("en",))
    for path in pdfs.values():
        assert qr_codes(path, tmp_path) == []
        assert "guides.example.org" not in printed(path)
        assert "Ask the library for this guide's web address." in pdftotext(path)


@needs_zbar
@needs_poppler
def test_a_real_address_is_printed_and_in_the_qr_code(project: Path, tmp_path: Path):
    edit(project / "steps.yaml", "https://guides.example.org/test/", REAL_URL)
    pdfs = render_project(project, langs=("en", "ar"))
    for (lang, _paper, _large), path in pdfs.items():
        assert qr_codes(path, tmp_path) == [f"{REAL_URL}{lang}/"], path.name
        assert f"{REAL_URL}{lang}/" in printed(path)
        assert "Ask the library" not in pdftotext(path)
