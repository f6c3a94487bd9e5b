"""What the build prints: a line per stage, a bar only on a terminal, nothing with V=0."""

from __future__ import annotations

import io

from guidebuilder.build.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_on_a_terminal_then_the_stage_line(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    out = Terminal()
    progress = Progress(1, out)
    with progress.stage("crops") as stage:
        progress.bar("crops", 1, 4)
        progress.bar("crops", 4, 4)
        stage["summary"] = "4 drawn, 0 cached"
    text = out.getvalue()
    assert "\rcrops: [######..................] 1/4" in text
    assert "\rcrops: [########################] 4/4" in text
    last = text.split("\r\033[K")[-1]
    assert last.startswith("crops: 4 drawn, 0 cached, ") and last.endswith(" s\n")


def test_plain_lines_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    out = Terminal()
    progress = Progress(1, out)
    with progress.stage("handouts") as stage:
        progress.bar("handouts", 3, 16)
        stage["summary"] = "16 rendered, 0 cached"
    assert out.getvalue().startswith("handouts: 16 rendered, 0 cached, ")
    assert "[" not in out.getvalue() and "\r" not in out.getvalue()


def test_quiet(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    out = Terminal()
    progress = Progress(0, out)
    with progress.stage("site"):
        progress.bar("site", 1, 4)
    progress.line("done")
    assert out.getvalue() == ""


def test_a_placeholder_site_url_is_one_warning_line(project, monkeypatch):
    from guidebuilder.build.orchestrator import placeholder_warning
    from guidebuilder.project import find_project

    config = project / "mkdocs.yml"
    config.write_text("site_url: https://library.example-city.fr/guides/\n", encoding="utf-8")
    assert placeholder_warning(find_project(project)) is None
    config.write_text("site_url: https://guides.example.org/\n", encoding="utf-8")
    assert placeholder_warning(find_project(project)) == (
        "warning: mkdocs.yml: site_url https://guides.example.org/ is a placeholder, so the "
        "handouts print no QR code or address; set it to where the site will be published")
    monkeypatch.setenv("PUBLIC_URL", "https://library.example-city.fr/guides")  # a publishing job
    assert placeholder_warning(find_project(project)) is None
