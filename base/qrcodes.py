"""QR codes as small PNG images, cheap enough to make one per confirmation e-mail.

segno chooses the best of eight masks by scoring each, about half of its time here. Every mask
gives a valid code that any reader decodes, so a fixed one is used; segno still writes the PNG.
"""

import io

import segno

MASK = 0


def qr_png(text, *, scale=6, border=2, error="m"):
    """A PNG (bytes) of the QR code of ``text``: dark modules black, ``border`` light modules
    around, each module ``scale`` pixels wide."""
    buffer = io.BytesIO()
    segno.make_qr(text, error=error, mask=MASK).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()
