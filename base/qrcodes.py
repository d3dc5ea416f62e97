"""QR codes as small PNG images, cheap enough to make one per confirmation e-mail.

segno chooses the best of eight masks by scoring each (about three quarters of its time) and
writes PNGs pixel by pixel. Every mask gives a valid code that any reader decodes: a fixed
one is used, and the PNG (1 bit per pixel, pixel for pixel what segno writes) is made a row
at a time.
"""

import struct
import zlib

import segno

MASK = 0


def qr_png(text, *, scale=6, border=2, error="m"):
    """A PNG (bytes) of the QR code of ``text``: dark modules black, ``border`` light modules
    around, each module ``scale`` pixels wide."""
    return _png(segno.make_qr(text, error=error, mask=MASK).matrix, scale, border)


def _png(matrix, scale, border):
    width = (len(matrix) + 2 * border) * scale
    padding = "0" * ((-width) % 8)  # each row is a whole number of bytes
    light, dark = "1" * scale, "0" * scale

    def scanline(bits):  # filter byte 0 ("none"), then the row's bits
        bits += padding
        return b"\x00" + int(bits, 2).to_bytes(len(bits) // 8, "big")

    blank = scanline(light * (width // scale)) * (border * scale)
    edge = light * border
    rows = [blank]
    for line in matrix:
        rows.append(scanline(edge + "".join(dark if module else light for module in line) + edge) * scale)
    rows.append(blank)
    header = struct.pack(">IIBBBBB", width, width, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(b"".join(rows), 9)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
