"""WeasyPrint's image cache, shared by the handouts of one staging folder.

A language's four handouts show the same crops. Rendered alone, each PDF reads, decodes and
re-encodes every crop twice (once when loading it, once when writing the PDF's image stream); with
one SharedImages passed as WeasyPrint's `cache` option, a crop is loaded and encoded once for all
of them. The bytes do not change: the stream of a picture depends on its pixels only.

Kept apart from pdf.py so that a build with nothing to render never pays for importing WeasyPrint.
"""

from __future__ import annotations

import pydyf
from weasyprint.images import RasterImage


class SharedImages(dict):
    """The `cache` for every handout of one staging folder, rendered with the same PDF options.

    WeasyPrint keys its images by URL, and every staging folder is read under the same virtual
    URLs (fetch.VIRTUAL_BASE): one SharedImages must never serve two folders.

    It differs from the plain dict WeasyPrint makes in two ways:
    - an image that failed to load is not remembered, so the next handout reports it again instead
      of printing silently without it;
    - a picture keeps the image stream it was encoded to for the first PDF, for the next ones.
      WeasyPrint offers no option for that, so the cached RasterImage becomes an _EncodedOnce
      (its subclass, which only adds the memory). requirements.txt pins WeasyPrint and
      tests/test_handout.py checks the bytes against a fresh process's.
    """

    def __setitem__(self, key, value) -> None:
        if value is None:
            return
        if type(value) is RasterImage:
            value.__class__ = _EncodedOnce
            value.encoded = {}
        super().__setitem__(key, value)


class _EncodedOnce(RasterImage):
    """A picture whose PDF image stream is encoded once, then copied for each further PDF."""

    encoded: dict

    def get_x_object(self, interpolate, dpi_ratio):
        key = (interpolate, dpi_ratio)
        if key not in self.encoded:
            self.encoded[key] = super().get_x_object(interpolate, dpi_ratio)
        return _copy(self.encoded[key])


def _copy(stream: pydyf.Stream) -> pydyf.Stream:
    """A new stream object with the same data: WeasyPrint numbers it and rewrites its mask's entry
    in the PDF it is added to, so no two PDFs may hold the same object."""
    extra = pydyf.Dictionary(stream.extra)
    if isinstance(extra.get("SMask"), pydyf.Stream):
        extra["SMask"] = _copy(extra["SMask"])
    return pydyf.Stream(list(stream.stream), extra, stream.compress)
