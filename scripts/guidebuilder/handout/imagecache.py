"""WeasyPrint's image cache, shared by the handouts of one staging folder.

A language's four handouts show the same crops. Rendered alone, each PDF reads, decodes and
re-encodes every crop twice (once when loading it, once when writing the PDF's image stream); with
one SharedImages passed as WeasyPrint's `cache` option, a crop is loaded and encoded once for all
of them. The bytes do not change: the stream of a picture depends on its pixels only.

Kept apart from pdf.py so that a build with nothing to render never pays for importing WeasyPrint.
"""

from __future__ import annotations

import struct

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
    """A picture whose PDF image stream is encoded once, then copied for each further PDF.

    An 8-bit RGB PNG (the crops for print, images/crops.py's PRINT) is not even encoded once: its
    own compressed pixels are the stream. WeasyPrint would decode them and encode them again, which
    gives the same bytes for a file Pillow saved with its defaults, as the crops are."""

    encoded: dict

    def get_x_object(self, interpolate, dpi_ratio):
        key = (interpolate, dpi_ratio)
        if key not in self.encoded:
            self.encoded[key] = super().get_x_object(interpolate, dpi_ratio)
        return _copy(self.encoded[key])

    def _get_png_data(self, pillow_image):
        """RasterImage's, but the file's own IDAT data for the picture as it was loaded."""
        if pillow_image.mode == "RGB" and pillow_image.size == (self.width, self.height):
            idat = plain_rgb_idat(self.image_data.data)
            if idat is not None:
                return idat
        return RasterImage._get_png_data(pillow_image)


def plain_rgb_idat(png: bytes) -> bytes | None:
    """The joined IDAT data of a non-interlaced 8-bit RGB PNG (what a PDF image stream with PNG
    predictors holds), or None for any other file."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    position, chunks = 8, []
    while position + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        body = png[position + 8:position + 8 + length]
        if kind == b"IHDR":
            _width, _height, depth, colour, _method, _filter, interlace = struct.unpack(">IIBBBBB", body)
            if (depth, colour, interlace) != (8, 2, 0):
                return None
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            return b"".join(chunks) or None
        position += 12 + length
    return None


def _copy(stream: pydyf.Stream) -> pydyf.Stream:
    """A new stream object with the same data: WeasyPrint numbers it and rewrites its mask's entry
    in the PDF it is added to, so no two PDFs may hold the same object."""
    extra = pydyf.Dictionary(stream.extra)
    if isinstance(extra.get("SMask"), pydyf.Stream):
        extra["SMask"] = _copy(extra["SMask"])
    return pydyf.Stream(list(stream.stream), extra, stream.compress)
