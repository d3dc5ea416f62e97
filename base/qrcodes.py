"""QR codes as small PNG images, cheap enough to make one per confirmation e-mail.

segno encodes the code. It chooses the best of eight masks by scoring each, about half of its
time here: every mask gives a valid code that any reader decodes, so a fixed one is used. Its
PNG writer is pure Python (a third of what is left), so Pillow, which Wagtail already needs for
images, scales and writes the matrix instead.
"""

import io

import segno
from PIL import Image, ImageOps

MASK = 0
# segno's matrix holds 1 for a dark module and 0 for a light one; the image is 8-bit grey.
GREY_OF_MODULE = bytes([255, 0]) + bytes(254)


def qr_png(text, *, scale=6, border=2, error="m"):
    """A PNG (bytes) of the QR code of ``text``: dark modules black, ``border`` light modules
    around, each module ``scale`` pixels wide."""
    matrix = segno.make_qr(text, error=error, mask=MASK).matrix
    modules = len(matrix)
    image = Image.frombytes("L", (modules, modules), b"".join(matrix).translate(GREY_OF_MODULE))
    side = (modules + 2 * border) * scale
    image = ImageOps.expand(image, border=border, fill=255).resize((side, side), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.convert("1").save(buffer, format="PNG")
    return buffer.getvalue()
