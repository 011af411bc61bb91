"""``GET /images/{name}``: the content provider's image CDN, where the content's ``cover_url`` points.

It serves small real images, made here: a PNG (RGB, deflated) and a baseline JPEG (one grey-scale 8x8 block of
one shade), so a connector can download a cover and send it to Workday base64-encoded; ``not-an-image.jpg``
answers an HTML page with 200, as a CDN's error page would, to check that the connector refuses what is not an
image; any other name is a 404.
"""

from __future__ import annotations

import functools
import struct
import zlib

from starlette.requests import Request
from starlette.responses import Response

IMAGES_PREFIX = "/images"
NOT_AN_IMAGE = "not-an-image.jpg"
_HTML = b"<!DOCTYPE html><html><head><title>Not found</title></head><body><h1>Page not found</h1></body></html>"


def png(width: int = 16, height: int = 16, rgb: tuple[int, int, int] = (232, 119, 34)) -> bytes:
    """A ``width`` x ``height`` PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width  # filter type 0 (None), then the pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits per sample, RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def jpeg(shade: int = 200) -> bytes:
    """An 8x8 grey-scale baseline JPEG of one ``shade`` (0-255): a quantization table of ones, and Huffman tables
    of one code each (the DC coefficient's size category, and end-of-block), so the scan is a dozen bits."""
    if not 0 <= shade <= 255:
        raise ValueError("shade must be 0 to 255")
    dc = 8 * (shade - 128)  # the DC coefficient of a flat block, level-shifted, quantized by 1
    category = abs(dc).bit_length()
    extra = dc if dc >= 0 else dc + (1 << category) - 1  # JPEG codes a negative value as its one's complement
    bits = "0" + (format(extra, f"0{category}b") if category else "") + "0"  # DC code, its bits, EOB code
    bits += "1" * (-len(bits) % 8)
    scan = bytearray()
    for i in range(0, len(bits), 8):
        byte = int(bits[i : i + 8], 2)
        scan.append(byte)
        if byte == 0xFF:
            scan.append(0x00)  # byte stuffing

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload

    one_code = bytes([1]) + bytes(15)  # one code, of length 1
    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xDB, b"\x00" + bytes([1]) * 64)
        + segment(0xC0, struct.pack(">BHHB", 8, 8, 8, 1) + b"\x01\x11\x00")
        + segment(0xC4, b"\x00" + one_code + bytes([category]))
        + segment(0xC4, b"\x10" + one_code + b"\x00")
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + bytes(scan)
        + b"\xff\xd9"
    )


@functools.cache
def images() -> dict[str, tuple[bytes, str]]:
    """The images served, by name: (body, content type)."""
    return {
        "adv-sales-001.jpg": (jpeg(200), "image/jpeg"),
        "cover.jpg": (jpeg(90), "image/jpeg"),
        "cover.png": (png(), "image/png"),
        "square.png": (png(64, 64, (30, 90, 160)), "image/png"),
        NOT_AN_IMAGE: (_HTML, "text/html; charset=utf-8"),
    }


async def image(request: Request) -> Response:
    found = images().get(request.path_params["name"])
    if found is None:
        return Response("Not Found", 404, media_type="text/plain")
    body, content_type = found
    return Response(body, media_type=content_type, headers={"Cache-Control": "public, max-age=86400"})
