"""The benchmark's generated guides (scripts/bench.py) are guides the builder accepts.

`make bench` is a script, not a test, so nothing else notices when a change to the builder or to the
shipped guide breaks it. Twice one did: the device paths made every generated guide invalid (its
steps were on no path), and the shipped guide grew past what the input limits left room for.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import bench
from guidebuilder.source.validate import load_guide
from guidebuilder.source.yamlsource import PythonLoader, load

ROOT = Path(__file__).resolve().parents[1]


def generated(tmp_path: Path, steps: int) -> Path:
    """The shipped guide's steps.yaml grown by the benchmark's generator, beside the project's
    guide/ folder (strings, screenshots)."""
    shutil.copy(ROOT / "steps.yaml", tmp_path / "steps.yaml")
    (tmp_path / "guide").symlink_to(ROOT / "guide")
    bench.large_guide(tmp_path, steps)
    return tmp_path


def paths_of(guide, step_id: str) -> tuple[str, ...]:
    return tuple(path.id for path in guide.paths if step_id in path.steps)


def test_the_large_guide_is_valid_and_within_the_limits_of_either_parser(tmp_path: Path):
    project = generated(tmp_path, bench.LARGE_STEPS)
    guide = load_guide(project / "steps.yaml", project)  # GuideError with every problem otherwise
    shipped = load_guide(ROOT / "steps.yaml", ROOT)
    assert (len(guide.steps), guide.codes) == (bench.LARGE_STEPS, shipped.codes)
    n = len(shipped.steps)
    for i, step in enumerate(guide.steps):  # step i copies shipped step i mod n, on its paths' copies
        original = shipped.steps[i % n]
        assert step.texts == original.texts
        assert paths_of(guide, step.id) == tuple(f"{path}-{i // n + 1}"
                                                 for path in paths_of(shipped, original.id))
    # no path longer than the shipped ones: their checklist cards fit on one page (test_kit.py)
    assert max(map(len, (path.steps for path in guide.paths))) \
        <= max(map(len, (path.steps for path in shipped.paths)))
    # PyYAML's own parser, where libyaml is missing, counts the same values against the same limits
    assert len(load(project / "steps.yaml", "steps.yaml", loader=PythonLoader).data["steps"]) \
        == bench.LARGE_STEPS


def test_the_peers_guide_is_valid_in_one_language(tmp_path: Path):
    project = generated(tmp_path, bench.PEER_STEPS)
    bench.one_language(project, "fr")
    guide = load_guide(project / "steps.yaml", project)
    assert (len(guide.steps), guide.codes) == (bench.PEER_STEPS, ("fr",))
