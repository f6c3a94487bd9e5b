"""Benchmark of whole builds (`make bench`): prints figures, asserts nothing.

Each scenario runs the real command line (`python -m guidebuilder build`) in a throwaway copy of the
project, at least 5 times, and reports the median and range of wall time and the peak memory of the
whole process tree (its proportional set size, sampled from /proc every 50 ms). Targets are ratios
measured in the same run:
  no-change <= 10% of cold, one-edit <= 30% of cold, large guide per step-language <= 1.2x the
  shipped guide's with peak memory < 1 GiB, and cold (parallel, cached stages) faster than serial
  without cache.
"""

from __future__ import annotations

import argparse
import os
import platform
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


def run_build(project: Path, *extra: str) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPATH": str(project / "scripts"), "CI": "1"}
    cmd = [sys.executable, "-m", "guidebuilder", "--root", str(project), "build", "--verbosity", "0",
           *extra]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
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
        sys.exit(f"bench: the build failed in {project}:\n{err.decode()}{out.decode()}")
    return seconds, peak


def large_guide(project: Path, steps: int = 200) -> None:
    """Replace steps.yaml by a guide of `steps` steps, cycling the shipped ones with new ids."""
    text = (project / "steps.yaml").read_text(encoding="utf-8")
    head, body = text.split("\nsteps:\n", 1)
    blocks = ["  - id:" + block for block in body.split("  - id:")[1:]]
    out = []
    for i in range(steps):
        block = blocks[i % len(blocks)]
        rest = block.split("\n", 1)[1]
        out.append(f"  - id: step-{i + 1:03d}\n{rest.rstrip()}\n")
    (project / "steps.yaml").write_text(head + "\nsteps:\n" + "\n".join(out), encoding="utf-8")


def one_edit(project: Path, original: str, n: int) -> None:
    """Change one step's title in one language (Spanish), differently on each run."""
    marker = 'title: "Abre la configuración'
    assert marker in original
    (project / "steps.yaml").write_text(original.replace(marker, f"{marker} {n}", 1), encoding="utf-8")


def summary(name: str, runs: list[tuple[float, int]]) -> dict:
    times = [t for t, _ in runs]
    peak = max(p for _, p in runs)
    med = statistics.median(times)
    print(f"{name:<34} median {med:7.2f} s   range {min(times):6.2f}-{max(times):6.2f} s   "
          f"peak memory {peak / 2**20:7.0f} MiB   ({len(runs)} runs)", flush=True)
    return {"median": med, "peak": peak}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large-steps", type=int, default=200)
    args = parser.parse_args()
    runs = max(args.runs, 1)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as tmp:
        project = project_copy(Path(tmp) / "project")
        cold = []
        for _ in range(runs):
            shutil.rmtree(project / ".cache", ignore_errors=True)
            cold.append(run_build(project))
        cold_s = summary("cold build (shipped guide)", cold)
        no_change = summary("no-change build", [run_build(project) for _ in range(runs)])
        edits = []
        original = (project / "steps.yaml").read_text(encoding="utf-8")
        for n in range(1, runs + 1):
            one_edit(project, original, n)
            edits.append(run_build(project))
        edit_s = summary("one-edit build (1 step, 1 language)", edits)
        serial = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory(dir=tmp) as throwaway:
                serial.append(run_build(project, "--jobs", "1", "--cache", throwaway))
        serial_s = summary("serial build without cache", serial)

        large = project_copy(Path(tmp) / "large")
        large_guide(large, args.large_steps)
        large_runs = []
        for _ in range(runs):
            shutil.rmtree(large / ".cache", ignore_errors=True)
            large_runs.append(run_build(large))
        large_s = summary(f"cold build ({args.large_steps} steps x 4 languages)", large_runs)

    shipped_units = 5 * 4
    large_units = args.large_steps * 4
    per_shipped = cold_s["median"] / shipped_units
    per_large = large_s["median"] / large_units
    print()
    print(f"no-change / cold:        {no_change['median'] / cold_s['median']:6.1%}   (target <= 10%)")
    print(f"one-edit / cold:         {edit_s['median'] / cold_s['median']:6.1%}   (target <= 30%)")
    print(f"large per step-language: {per_large / per_shipped:6.2f}x the shipped guide's "
          f"({per_large * 1000:.0f} ms vs {per_shipped * 1000:.0f} ms; target <= 1.2x)")
    print(f"large guide peak memory: {large_s['peak'] / 2**20:6.0f} MiB   (target < 1024 MiB)")
    print(f"serial uncached / cold:  {serial_s['median'] / cold_s['median']:6.2f}x   (target > 1)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
