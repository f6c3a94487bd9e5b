"""Publishing a finished build as site/ in one step, and one build at a time.

The build writes into a staging folder beside site/ (same filesystem), then the two folders are
exchanged with renameat2(RENAME_EXCHANGE): at every instant site/ is either the old build or the new
one, even if the process is killed. Leftovers of an interrupted build are removed by the next one.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path

from guidebuilder.errors import BuildError

STAGING_PREFIX = ".site-tmp-"
OLD_PREFIX = ".site-old-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux >= 3.15); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def remove_leftovers(out: Path) -> list[Path]:
    """Delete staging folders of builds that were interrupted (call with the build lock held)."""
    removed = []
    for prefix in (STAGING_PREFIX, OLD_PREFIX):
        for leftover in sorted(out.parent.glob(f"{prefix}{out.name}-*")):
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover)
    return removed


def check_writable(out: Path) -> None:
    parent = out.parent
    if not parent.is_dir():
        raise BuildError(f"the folder {parent} does not exist; create it or choose another output folder")
    if not os.access(parent, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK)):
        read_only = os.statvfs(parent).f_flag & os.ST_RDONLY
        code = errno.EROFS if read_only else errno.EACCES
        raise machine_error(OSError(code, os.strerror(code)), out, target=out)


@contextmanager
def staging_folder(out: Path):
    """A fresh folder beside out/, removed again unless it was published.

    Named before it is made, and made inside the try: a Ctrl+C that lands just after the folder
    appears still removes it (with tempfile.mkdtemp, Python ran between its mkdir and this try)."""
    check_writable(out)
    staging = _beside(out, STAGING_PREFIX)
    try:
        try:
            staging.mkdir(mode=0o700)  # private until published (publish opens it to readers)
        except OSError as exc:
            raise machine_error(exc, out, target=out) from None
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _beside(out: Path, prefix: str) -> Path:
    """A new name beside out/ that remove_leftovers knows (nothing is made there)."""
    return out.parent / f"{prefix}{out.name}-{secrets.token_hex(6)}"


def carry_over(out: Path, staging: Path, folders: list[str]) -> set[str]:
    """Copy these folders of the previous out/ into staging as they are (hard links where the
    filesystem allows: nothing is rewritten); return the ones that existed."""
    kept = set()
    for name in folders:
        previous = out / name
        if previous.is_dir() and not previous.is_symlink():
            shutil.copytree(previous, staging / name, copy_function=_link_or_copy, symlinks=True)
            kept.add(name)
    return kept


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def publish(staging: Path, out: Path) -> None:
    """Make staging the new out/, atomically; the previous build is deleted afterwards."""
    staging.chmod(0o755)  # staging_folder makes it private; a web server must read it
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the previous build
        return
    old = _beside(out, OLD_PREFIX)
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def machine_error(exc: OSError, out: Path, target: Path | None = None) -> BuildError:
    """One line naming the cause and the fix for a problem of the machine, not of the guide."""
    where = target or exc.filename or out
    unchanged = "the previous site/ is unchanged"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return BuildError(f"the disk is full (writing {where}); free some space and run make again "
                          f"— {unchanged}")
    if exc.errno == errno.EROFS:
        return BuildError(f"cannot write to {where}: read-only file system; build elsewhere with --out "
                          f"or make the folder writable — {unchanged}")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return BuildError(f"cannot write to {where}: permission denied; fix the folder's permissions "
                          f"or build elsewhere with --out — {unchanged}")
    return BuildError(f"{exc.strerror or exc} ({where}) — {unchanged}")


@contextmanager
def build_lock(root: Path, say=print, timeout: float = 1800):
    """One build at a time: a second build waits for the first, saying so."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(root / ".build.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        say("another build is running in this folder; waiting for it to finish...")
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise BuildError("another build has held the lock for too long; if no build is "
                             f"running, delete {root / '.build.lock'}") from None
    try:
        yield
    finally:
        lock.release()
