"""What WeasyPrint may read, and what must never end up in a PDF.

WeasyPrint fetches every stylesheet, font and image through a URL fetcher. Ours serves only regular
files inside the folders it is given (the handout's staging folder), refuses every other scheme
(http, https, data, ftp...), follows no redirect and turns any refusal into a fatal error. The log
capture turns anything WeasyPrint reports at WARNING or above into a failed build, and
`local_paths_in` checks the finished bytes for file URLs and build-folder paths.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

MIME_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
              ".ttf": "font/ttf", ".otf": "font/otf"}
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)


class RefusedURL(ValueError):
    """The handout asked for something outside the build folder, or not a file."""


# WeasyPrint names each image after the md5 of its URL: documents read from a fixed virtual folder
# get the same bytes wherever the project lives (two clean checkouts build identical PDFs).
VIRTUAL_BASE = "file:///handout/"


class BuildFolderFetcher(URLFetcher):
    """Serves `file:` URLs of regular files inside `roots`; refuses everything else.

    URLs under VIRTUAL_BASE name files of the first root.
    """

    def __init__(self, roots: Sequence[Path]):
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=True)
        self.roots = tuple(Path(root).resolve(strict=True) for root in roots)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = self.resolve(url)
        mime = MIME_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        headers = {"Content-Type": mime or "application/octet-stream"}
        return URLFetcherResponse(url, path.read_bytes(), headers)

    def resolve(self, url: str) -> Path:
        """The file a URL names, if it may be served; RefusedURL otherwise."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file":
            raise RefusedURL(f"refused {url!r}: handouts may only use files from the build folder, "
                             f"not {parts.scheme or 'relative'} URLs")
        if parts.netloc not in ("", "localhost") or parts.query:
            raise RefusedURL(f"refused {url!r}: not a plain local file URL")
        local = url2pathname(unquote(parts.path))
        virtual = urlsplit(VIRTUAL_BASE).path
        if local.startswith(virtual):
            local = str(self.roots[0] / local.removeprefix(virtual))
        try:
            path = Path(local).resolve(strict=True)
        except (OSError, RuntimeError):
            raise RefusedURL(f"refused {url!r}: no such file in the build folder") from None
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedURL(f"refused {url!r}: outside the build folder")
        if not path.is_file():
            raise RefusedURL(f"refused {url!r}: not a regular file")
        return path


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
    """The raw file, then every stream inflated when it is Flate-compressed: what to scan for leaks."""
    yield pdf
    for match in _STREAM.finditer(pdf):
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
