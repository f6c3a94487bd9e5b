"""Benchmark of whole builds (`make bench`): prints figures, asserts nothing.

Each scenario runs the real command line (`python -m guidebuilder build`) in a throwaway copy of the
project, at least 5 times, and reports the median and range of wall time and the peak memory of the
whole process tree (its proportional set size, sampled from /proc every 50 ms). Targets are ratios
measured in the same run:
  no-change <= 10% of cold, one-edit <= 30% of cold, large guide per step-language <= 1.2x the
  shipped guide's with peak memory < 1 GiB, and cold (parallel, cached stages) faster than serial
  without cache.

The peer scenario (`--only peer` runs it alone) compares the handouts with mkdocs-to-pdf, which
turns a MkDocs site into one PDF with the same WeasyPrint: both make the generated guide's French
steps and crops printable, on one core. Ours makes four handouts (A4/Letter x standard/large) per
device path, theirs one A4 PDF of every path; the figures are seconds per PDF page and per guide
(all of one tool's PDFs of the French guide; theirs is their build with the plugin minus without
it). mkdocs-to-pdf and what it needs beyond requirements.txt (scripts/bench-peer-requirements.txt)
are installed into .venv-bench-peer/ on first use, never into .venv.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEER_VENV = ROOT / ".venv-bench-peer"
PEER_REQUIREMENTS = ROOT / "scripts" / "bench-peer-requirements.txt"
# The generated guides' sizes (tests/test_bench.py: both are guides the builder accepts)
LARGE_STEPS = 200
PEER_STEPS = 50
# build/progress.py's line (on a shelf of several guides it starts with the guide's slug)
HANDOUTS_LINE = re.compile(r"^(?:[a-z0-9-]+: )?handouts: .*, ([\d.]+) s$", re.MULTILINE)
IGNORED_LOCATION = re.compile(r"^WARNING: Location '.*' is ignored")
STAGE_LINE = re.compile(r"^([a-z0-9-]+): (crops|handouts|site): (\d+) (?:drawn|rendered|built), ",
                        re.MULTILINE)


def first_guide_only(name: str) -> bool:
    """For the scenarios about one guide: the project without the shelf's other guides."""
    return not name.startswith("guides/")


def project_copy(dest: Path, keep: Callable[[str], bool] = lambda name: True) -> Path:
    """The project's files as git sees them (committed or new, not ignored), those `keep` accepts."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard", "-z"],
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(keep, filter(None, files)):
        src = ROOT / name
        if src.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


def _memory(pid: int, fallback: int) -> int:
    """Proportional set size: memory a forked worker shares with its parent is counted once."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return fallback


def _tree_memory(root_pid: int) -> int:
    """Memory of a process and all its descendants, in bytes (PSS, else RSS)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for proc in Path("/proc").iterdir():
        entry = proc.name
        if not entry.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(_memory(pid, rss.get(pid, 0)) for pid in tree)


def run_timed(what: str, cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, str]:
    """Run a command: its wall time, the peak memory of its process tree, and what it printed."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_memory(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"bench: {what} failed in {cwd}:\n{err.decode()}{out.decode()}")
    return seconds, peak, out.decode()


def run_build(project: Path, *extra: str, verbosity: int = 0) -> tuple[float, int, str]:
    env = {**os.environ, "PYTHONPATH": str(project / "scripts"), "CI": "1"}
    cmd = [sys.executable, "-m", "guidebuilder", "--root", str(project), "build", "--verbosity",
           str(verbosity), *extra]
    return run_timed("the build", cmd, env, project)


def large_guide(project: Path, steps: int = LARGE_STEPS) -> None:
    """Replace steps.yaml by a guide of `steps` steps, cycling the shipped ones with new ids.

    Each cycle through the shipped steps gets its own copy of the shipped device paths (`computer-2`:
    "On a computer (2)"), holding that cycle's copies of their steps in their order: one path of
    100 steps would be no guide, as its checklist card must fit on one page. The file is read and
    written as data, so however steps.yaml is laid out the result is the same guide."""
    import yaml

    path = project / "steps.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    shipped = data["steps"]
    data["steps"] = [{**shipped[i % len(shipped)], "id": f"step-{i + 1:03d}"}
                     for i in range(steps)]
    if data.get("paths"):
        paths = []
        for cycle in range(math.ceil(steps / len(shipped))):
            first = cycle * len(shipped)
            new_id = {step["id"]: f"step-{first + j + 1:03d}" for j, step in enumerate(shipped)
                      if first + j < steps}
            for device in data["paths"]:
                kept = [new_id[step] for step in device["steps"] if step in new_id]
                texts = {lang: {**words, "title": f"{words['title']} ({cycle + 1})"}
                         for lang, words in device.get("text", {}).items()}
                if kept:
                    paths.append({**device, "id": f"{device['id']}-{cycle + 1}",
                                  "text": texts, "steps": kept})
        data["paths"] = paths

    class Written(yaml.SafeDumper):
        """The copies share their texts: each is written in full, as the builder refuses aliases."""

        def ignore_aliases(self, data) -> bool:
            return True

    path.write_text(yaml.dump(data, Dumper=Written, allow_unicode=True, sort_keys=False, width=100),
                    encoding="utf-8")


def one_edit(project: Path, original: str, n: int) -> None:
    """Change one step's title in one language (Spanish), differently on each run."""
    marker = 'title: "Abre la configuración'
    assert marker in original
    (project / "steps.yaml").write_text(original.replace(marker, f"{marker} {n}", 1), encoding="utf-8")


def summary(name: str, runs: list[tuple]) -> dict:
    """Print and return the median time and peak memory of runs of (seconds, peak memory, ...)."""
    times = [run[0] for run in runs]
    peak = max(run[1] for run in runs)
    med = statistics.median(times)
    print(f"{name:<34} median {med:7.2f} s   range {min(times):6.2f}-{max(times):6.2f} s   "
          f"peak memory {peak / 2**20:7.0f} MiB   ({len(runs)} runs)", flush=True)
    return {"median": med, "peak": peak}


# -- the peer: mkdocs-to-pdf ---------------------------------------------------------------------


def one_language(project: Path, lang: str = "fr") -> None:
    """Keep only one language of the project's guide (what the peer makes its PDF of): the language
    itself, and that language's entry of every mapping keyed by language (the guide's, the paths',
    the steps' and the notes' texts)."""
    import yaml

    path = project / "steps.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    codes = {language["code"] for language in data["languages"]}

    def keep(value):
        if isinstance(value, dict):
            if lang in value and set(value) <= codes:
                return {lang: keep(value[lang])}
            return {key: keep(item) for key, item in value.items()}
        if isinstance(value, list):
            return [keep(item) for item in value]
        return value

    data = keep(data)
    data["languages"] = [language for language in data["languages"] if language["code"] == lang]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def peer_python() -> Path:
    """The peer's own virtual environment, set up on first use and whenever its pins change."""
    python = PEER_VENV / "bin" / "python"
    stamp = PEER_VENV / ".bench-stamp"
    want = hashlib.sha256((ROOT / "requirements.txt").read_bytes()
                          + PEER_REQUIREMENTS.read_bytes()).hexdigest()
    if python.exists() and stamp.is_file() and stamp.read_text().strip() == want:
        return python
    print(f"bench: installing the peer into {PEER_VENV.name}/ ({PEER_REQUIREMENTS.name})", flush=True)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                                "-r", str(PEER_REQUIREMENTS)], capture_output=True, text=True)
    # without pip's notes about package folders some machines configure but do not have, as in
    # scripts/bootstrap.sh
    for stream, shown in ((installed.stdout, sys.stdout), (installed.stderr, sys.stderr)):
        shown.writelines(line for line in stream.splitlines(keepends=True)
                         if not IGNORED_LOCATION.match(line))
    if installed.returncode:
        sys.exit(f"bench: installing {PEER_REQUIREMENTS.name} failed (pip exit {installed.returncode})")
    stamp.write_text(want + "\n")
    return python


def peer_project(ours: Path, dest: Path, lang: str = "fr") -> Path:
    """A MkDocs project with our built guide's steps as one Markdown page, showing our crops at
    their size in a standard-print handout, and the mkdocs-to-pdf plugin (on when ENABLE_PDF=1)."""
    import yaml

    from guidebuilder.handout.document import layout_for
    from guidebuilder.images.crops import render_crops
    from guidebuilder.outputs import Handout
    from guidebuilder.source.strings import load_strings, note_title
    from guidebuilder.source.validate import load_guide
    from guidebuilder.store import Store

    guide = load_guide(ours / "steps.yaml", ours)
    crops = render_crops(guide, Store(ours / ".cache"))  # drawn by our build: read from its store
    strings = load_strings(guide)[lang]
    layout = layout_for(Handout(lang, "a4", False))
    text = guide.text(lang)
    (dest / "docs" / "img").mkdir(parents=True)
    lines = [f"# {text.title}", "", text.summary, ""]
    for note in guide.notes:
        lines += [f"> **{note_title(strings, note, lang)}**: {note.text(lang).body}", ""]
    for path in guide.paths:  # numbered per path, as on our page; a guide of one: no path heading
        if guide.several_paths:
            lines += [f"# {path.title(lang)}", ""]
        for number, step in enumerate(guide.path_steps(path), start=1):
            lines += _peer_step(step, number, lang, strings, crops, layout, dest)
    (dest / "docs" / "index.md").write_text("\n".join(lines), encoding="utf-8")
    plugin = {"enabled_if_env": "ENABLE_PDF", "output_path": f"guide-{lang}.pdf"}
    config = {"site_name": text.title, "markdown_extensions": ["attr_list"],
              "theme": {"name": "mkdocs", "highlightjs": False, "locale": lang},  # nothing remote
              "plugins": [{"to-pdf": plugin}]}
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return dest / "site" / f"guide-{lang}.pdf"


def _peer_step(step, number: int, lang: str, strings, crops, layout, dest: Path) -> list[str]:
    """One step of the peer tool's page, as Markdown; its picture copied beside it."""
    from guidebuilder.handout.document import image_size

    words, crop = step.text(lang), crops.get((step.id, lang))
    lines = [f"## {strings['step'].format(n=number)}: {words.title}", "", _plain(words.body), ""]
    if crop is not None:
        shutil.copy(crop.path_2x, dest / "docs" / "img" / f"{step.id}.png")
        width, height = image_size(tuple(crop.size_1x), layout)
        size = f'style="width: {width}mm; height: {height}mm"'
        lines += [f"![{words.alt}](img/{step.id}.png){{ {size} }}", ""]
    if words.tip:
        lines += [f"> **{strings['tip_title']}**: {_plain(words.tip)}", ""]
    return lines


def _plain(markdown: str) -> str:
    """Our Markdown without our badge references: ((2)) becomes (2)."""
    from guidebuilder.model import BADGE_REF

    return BADGE_REF.sub(r"(\1)", markdown)


def pdf_pages(paths: list[Path]) -> int:
    import pypdf

    return sum(len(pypdf.PdfReader(path).pages) for path in paths)


def peer_scenario(tmp: Path, runs: int, steps: int) -> None:
    python = peer_python()
    ours = project_copy(tmp / "peer-ours", keep=first_guide_only)
    large_guide(ours, steps)
    one_language(ours)
    our_runs = []
    for _ in range(runs):
        shutil.rmtree(ours / ".cache", ignore_errors=True)
        _, peak, out = run_build(ours, "--jobs", "1", verbosity=1)
        handouts = HANDOUTS_LINE.search(out)
        if handouts is None:
            sys.exit(f"bench: the build printed no 'handouts: ..., N s' line:\n{out}")
        our_runs.append((float(handouts[1]), peak))
    our_pdfs = sorted((ours / "site").glob("*/*/guide-*.pdf"))
    theirs = tmp / "peer-theirs"
    their_pdf = peer_project(ours, theirs)
    env = {**os.environ, "PYTHONPATH": "", "SOURCE_DATE_EPOCH": "1722000000"}
    cmd = [str(python), "-m", "mkdocs", "build", "--quiet", "--clean"]
    with_pdf, site_only = [], []
    for _ in range(runs):
        site_only.append(run_timed("mkdocs", cmd, {**env, "ENABLE_PDF": "0"}, theirs))
        with_pdf.append(run_timed("mkdocs-to-pdf", cmd, {**env, "ENABLE_PDF": "1"}, theirs))
    our_s = summary(f"ours: build --jobs 1, its handouts ({len(our_pdfs)} PDFs)", our_runs)
    with_s = summary("mkdocs-to-pdf: mkdocs build", with_pdf)
    site_s = summary("mkdocs-to-pdf: without the plugin", site_only)
    our_pages, their_pages = pdf_pages(our_pdfs), pdf_pages([their_pdf])
    our_guide, their_guide = our_s["median"], with_s["median"] - site_s["median"]
    print()
    print(f"peer: the generated guide's {steps} French steps, one core; ours {our_pages} pages in "
          f"{len(our_pdfs)} PDFs, mkdocs-to-pdf {their_pages} pages in 1 PDF")
    ours_page, theirs_page = our_guide / our_pages, their_guide / their_pages
    print(f"handouts per page:  ours {ours_page:.3f} s, mkdocs-to-pdf {theirs_page:.3f} s, "
          f"ratio {ours_page / theirs_page:.2f}")
    print(f"handouts per guide: ours {our_guide:.1f} s, mkdocs-to-pdf {their_guide:.1f} s, "
          f"ratio {our_guide / their_guide:.2f}")


# -- the builds ----------------------------------------------------------------------------------


def shelf_guides(project: Path) -> list:
    from guidebuilder.project import find_project
    from guidebuilder.source.validate import load_guide

    return [load_guide(files.steps, project) for files in find_project(project).guides]


def builds_scenarios(tmp: Path, runs: int, large_steps: int) -> None:
    project = project_copy(tmp / "project")
    guides = shelf_guides(project)
    shelf = f"{len(guides)} guide{'s' if len(guides) != 1 else ''}"
    cold = []
    for _ in range(runs):
        shutil.rmtree(project / ".cache", ignore_errors=True)
        cold.append(run_build(project))
    cold_s = summary(f"cold build (the shelf: {shelf})", cold)
    no_change = summary("no-change build (the shelf)", [run_build(project) for _ in range(runs)])
    edits, others_made = [], 0
    original = (project / "steps.yaml").read_text(encoding="utf-8")
    for n in range(1, runs + 1):
        one_edit(project, original, n)
        edits.append(run_build(project, verbosity=1))
        others_made += sum(int(made) for slug, _, made in STAGE_LINE.findall(edits[-1][2])
                           if slug != guides[0].slug)
    edit_s = summary("one-edit build (1 step, 1 language)", edits)
    serial = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(dir=tmp) as throwaway:
            serial.append(run_build(project, "--jobs", "1", "--cache", throwaway))
    serial_s = summary("serial build without cache", serial)

    alone = project_copy(tmp / "alone", keep=first_guide_only)
    alone_runs = []
    for _ in range(runs):
        shutil.rmtree(alone / ".cache", ignore_errors=True)
        alone_runs.append(run_build(alone))
    alone_s = summary("cold build (the first guide alone)", alone_runs)
    large = project_copy(tmp / "large", keep=first_guide_only)
    large_guide(large, large_steps)
    languages = len(guides[0].codes)
    large_runs = []
    for _ in range(runs):
        shutil.rmtree(large / ".cache", ignore_errors=True)
        large_runs.append(run_build(large))
    large_s = summary(f"cold build ({large_steps} steps x {languages} languages)", large_runs)

    per_shipped = alone_s["median"] / (len(guides[0].steps) * languages)
    per_large = large_s["median"] / (large_steps * languages)
    print()
    print(f"no-change / cold (shelf): {no_change['median'] / cold_s['median']:6.1%}   (target <= 10%)")
    print(f"one-edit / cold:          {edit_s['median'] / cold_s['median']:6.1%}   (target <= 30%)")
    print(f"one-edit, outputs the other guides made again: {others_made}   (target 0)")
    print(f"large per step-language:  {per_large / per_shipped:6.2f}x the first guide's "
          f"({per_large * 1000:.0f} ms vs {per_shipped * 1000:.0f} ms; target <= 1.2x)")
    print(f"large guide peak memory:  {large_s['peak'] / 2**20:6.0f} MiB   (target < 1024 MiB)")
    print(f"serial uncached / cold:   {serial_s['median'] / cold_s['median']:6.2f}x   (target > 1)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large-steps", type=int, default=LARGE_STEPS)
    parser.add_argument("--peer-steps", type=int, default=PEER_STEPS,
                        help="steps of the peer's guide")
    parser.add_argument("--only", choices=("builds", "peer"), help="run one scenario group")
    args = parser.parse_args()
    runs = max(args.runs, 1)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as tmp:
        if args.only != "peer":
            builds_scenarios(Path(tmp), runs, args.large_steps)
        if args.only != "builds":
            print()
            peer_scenario(Path(tmp), runs, args.peer_steps)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
