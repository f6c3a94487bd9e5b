"""What must never end up in a PDF, and what WeasyPrint says while it renders.

The log capture turns anything WeasyPrint reports at WARNING or above into a failed build, and
`local_paths_in` checks the finished bytes for file URLs and build-folder paths. What WeasyPrint
may read is pdffetch.py's business (kept apart so that a build with nothing to render never pays
for importing WeasyPrint).
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname.lower()}: {record.getMessage()}")


@contextmanager
def weasyprint_log() -> Iterator[list[str]]:
    """Collect WeasyPrint's warnings and errors (missing image, bad CSS...) instead of printing them."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    previous, propagate = logger.level, logger.propagate
    if logger.level == logging.NOTSET or logger.level > logging.WARNING:
        logger.setLevel(logging.WARNING)
    logger.propagate = False  # reported once, by the build, as its error
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
        logger.propagate = propagate


def pdf_strings(pdf: bytes) -> Iterator[bytes]:
    """The raw file, then every stream inflated when it is Flate-compressed: what to scan for leaks.

    Images' streams are left out: their pixels hold no text (inflated, they are most of the bytes to
    search, and could only ever match by chance).
    """
    yield pdf
    for match in _STREAM.finditer(pdf):
        if _IMAGE.search(pdf, pdf.rfind(b" obj", 0, match.start()), match.start()):
            continue
        try:
            yield zlib.decompressobj().decompress(match.group(1))
        except zlib.error:
            continue


def local_paths_in(pdf: bytes, folders: Sequence[Path] = ()) -> list[str]:
    """File URLs and local folder names found in a PDF (none is the only right answer)."""
    # "/tmp/", not "/tmp": a folder's name with its slash, and never the root folder alone
    needles = [b"file:"] + [str(folder).rstrip("/").encode() + b"/" for folder in folders
                            if str(folder).strip("/")]
    found = []
    for chunk in pdf_strings(pdf):
        for needle in needles:
            if needle in chunk and needle.decode() not in found:
                found.append(needle.decode())
    return found
