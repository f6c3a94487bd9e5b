"""One reproducible zip of the built site, for a USB stick or a workshop PC with no network.

`package_site(site, zip_path, epoch)` writes every file of `site/` (the shelf, every guide's pages
and handouts) under one folder, plus README.txt, with sorted entries, one fixed timestamp (the
build's SOURCE_DATE_EPOCH), fixed permissions and no extra fields: two builds of one commit give
the same bytes.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

from guidebuilder.errors import BuildError

FOLDER = "guides"
README = """\
How to open these guides without the internet
=============================================

1. Unzip this file (right click > "Extract all").
2. Open the folder "guides", then open index.html in a web browser.
3. Pick a guide and a language. Each guide's printable handouts (PDF) are in its pages.

Nothing here needs a network connection.
"""


def package_site(site: Path, zip_path: Path, epoch: str) -> Path:
    """Zip `site` into `zip_path`; return it. A BuildError when the site was not built."""
    if not (site / "index.html").is_file():
        raise BuildError(f"{site}/index.html not found; run `make` before packaging")
    stamp = _zip_time(int(epoch))
    files = sorted(p for p in site.rglob("*") if p.is_file())
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_name(zip_path.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        _add(zf, f"{FOLDER}/README.txt", README.encode(), stamp)
        for path in files:
            _add(zf, f"{FOLDER}/{path.relative_to(site).as_posix()}", path.read_bytes(), stamp)
    partial.replace(zip_path)
    return zip_path


def _zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    """The epoch as a zip date (UTC), no earlier than 1980, which zip cannot store."""
    return time.gmtime(max(epoch, 315532800))[:6]


def _add(zf: zipfile.ZipFile, name: str, data: bytes, stamp) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so the permissions below are read
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)
