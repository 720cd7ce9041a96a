"""Phone-like photos for the upload tests and the upload benchmark, generated with Pillow.

A phone photo is large in pixels (4000 × 3000) and in bytes (about 1.5 MB), carries sensor
noise that JPEG cannot compress away, and EXIF metadata: its orientation and, often, the GPS
position where it was taken. ``phone_photo`` makes one, the same bytes every time.
"""

import functools
import io
import random

from PIL import Image, ImageChops, ImageDraw, ImageFilter

#: The photo of the issue: 1.45 MB that took 31 s to send at 400 kbps.
PHOTO_BYTES = range(1_450_000, 1_500_001)
ORIENTATION = 0x0112
GPS_IFD = 0x8825


def _scene(size, seed) -> Image.Image:
    """Sky, shapes and sensor noise: what makes a photo weigh what it weighs."""
    width, height = size
    gradient = Image.linear_gradient("L").resize(size)
    red = gradient.point(lambda v: 90 + v // 3)
    green = gradient.point(lambda v: 120 + v // 4)
    blue = gradient.point(lambda v: 200 - v // 2)
    scene = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(scene)
    chance = random.Random(seed)
    for _ in range(60):
        x, y = chance.randrange(width), chance.randrange(height)
        side = chance.randrange(width // 80, width // 7)
        colour = tuple(chance.randrange(256) for _ in range(3))
        draw.ellipse((x, y, x + side, y + side * 2 // 3), fill=colour)
    scene = scene.filter(ImageFilter.GaussianBlur(3))
    noise = Image.effect_noise(size, 5)
    brighter = noise.point(lambda v: max(v - 128, 0))
    darker = noise.point(lambda v: max(128 - v, 0))
    return Image.merge(
        "RGB", [ImageChops.subtract(ImageChops.add(c, brighter), darker) for c in scene.split()]
    )


def photo_exif(orientation=1, gps=True) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[ORIENTATION] = orientation
    if gps:
        # Gitega, as a phone writes it: degrees, minutes, seconds.
        exif.get_ifd(GPS_IFD).update({1: "S", 2: (3.0, 25.0, 39.0), 3: "E", 4: (29.0, 55.0, 27.0)})
    return exif


@functools.cache
def phone_photo(size=(4000, 3000), orientation=1, gps=True, target=PHOTO_BYTES) -> bytes:
    """A JPEG like a phone's, its quality chosen so that its size falls in ``target`` (bytes)
    when that is possible; else the closest quality from above."""
    scene = _scene(size, seed=size[0] * 7 + size[1])
    exif = photo_exif(orientation, gps)
    best = None
    low, high = 40, 95
    while low <= high:
        quality = (low + high) // 2
        buffer = io.BytesIO()
        scene.save(buffer, "JPEG", quality=quality, exif=exif)
        content = buffer.getvalue()
        if len(content) in target:
            return content
        if len(content) < target.start:
            low = quality + 1
        else:
            best, high = content, quality - 1
    return best or content
