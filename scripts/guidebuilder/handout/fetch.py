"""What WeasyPrint may read: regular files of the handout's staging folder, nothing else.

WeasyPrint fetches every stylesheet, font and image through a URL fetcher. Ours serves only regular
files inside the folders it is given, refuses every other scheme (http, https, data, ftp...),
follows no redirect and turns any refusal into a fatal error.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

MIME_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
              ".ttf": "font/ttf", ".otf": "font/otf"}


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
