"""Publishing, ready-made: the GitHub and GitLab Pages jobs, and `make package`'s offline zip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from projects import ROOT, build, environment, snapshot

GITHUB = ROOT / ".github" / "workflows" / "pages.yml"
GITLAB = ROOT / ".gitlab-ci.yml"


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_github_workflow_builds_with_make_for_the_pages_address_and_deploys_site():
    workflow = yaml.safe_load(GITHUB.read_text())
    steps = _steps(workflow)
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    for action in ("actions/checkout", "actions/configure-pages", "actions/upload-pages-artifact",
                   "actions/deploy-pages"):
        assert action in uses
    runs = [s.get("run", "").strip() for s in steps]
    assert "make check" in runs and "make" in runs
    (made,) = [s for s in steps if s.get("run", "").strip() == "make"]
    pages_id = next(s["id"] for s in steps if s.get("uses", "").startswith("actions/configure-pages"))
    assert made["env"]["PUBLIC_URL"].startswith(f"${{{{ steps.{pages_id}.outputs.base_url }}}}")
    (upload,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert upload["with"]["path"].rstrip("/") == "site"
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["jobs"]["build"]["container"].startswith(("debian", "ubuntu"))


def test_gitlab_job_builds_with_make_for_ci_pages_url_and_publishes_public():
    job = yaml.safe_load(GITLAB.read_text())["pages"]
    script = job["script"]
    assert "make check" in script
    (made,) = [line for line in script if line.endswith("make")]
    assert "PUBLIC_URL=" in made and "$CI_PAGES_URL" in made
    assert any("site public" in line for line in script[script.index(made):])
    assert job["artifacts"]["paths"] == ["public"]
    assert job["image"].startswith(("debian", "ubuntu"))


def package(project: Path) -> bytes:
    result = subprocess.run([sys.executable, "-m", "guidebuilder", "--root", str(project), "package"],
                            capture_output=True, text=True, env=environment(project), cwd=project,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    return (project / "site-package.zip").read_bytes()


@pytest.fixture(scope="module")
def packaged(small_build, tmp_path_factory) -> Path:
    """A copy of the shared build, `make package` run in it once (its site-package.zip beside)."""
    project = small_build.copy(tmp_path_factory.mktemp("packaged") / "project")
    package(project)
    return project


@pytest.mark.slow
def test_the_zip_is_the_same_bytes_after_a_second_build(small_build, packaged, tmp_path):
    again = small_build.copy(tmp_path / "again")
    shutil.rmtree(again / "site")
    result = build(again, "--cache", str(again / ".cache"))
    assert result.returncode == 0, result.stderr
    for path in (again / "site").rglob("*"):  # a later checkout: other file times
        os.utime(path, (2_000_000_000, 2_000_000_000))
    assert package(again) == (packaged / "site-package.zip").read_bytes()


@pytest.mark.slow
def test_the_zip_holds_site_and_a_readme_with_fixed_times_and_permissions(packaged):
    with zipfile.ZipFile(packaged / "site-package.zip") as zf:
        infos = zf.infolist()
        files = {i.filename.removeprefix("guides/"): zf.read(i) for i in infos}
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {(2024, 7, 26, 13, 20, 0)}  # projects.EPOCH
    assert {i.external_attr >> 16 for i in infos} == {0o644}
    assert {i.extra for i in infos} == {b""}
    assert "index.html" in files.pop("README.txt").decode()
    assert files == snapshot(packaged / "site")


@pytest.mark.browser
@pytest.mark.slow
def test_every_page_of_the_unzipped_folder_opens_with_every_image(tabs, packaged, tmp_path):
    from test_site_browser import Visit, outside

    with zipfile.ZipFile(packaged / "site-package.zip") as zf:
        zf.extractall(tmp_path)
    folder = tmp_path / "guides"
    # 404.html is the web server's error page, with addresses from the site's root: never opened
    # from a folder.
    pages = sorted(p for p in folder.rglob("*.html") if p.name != "404.html")
    assert folder / "index.html" in pages
    for page in pages:
        visit = Visit(tabs, page.as_uri())
        try:
            visit.scroll_through()
            assert visit.broken_images() == [], page
            assert outside(visit.requests, ("file://",)) == [], page
            assert [f for f in visit.failed if "/sitemap.xml" not in f] == [], page
        finally:
            visit.close()
