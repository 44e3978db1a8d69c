"""Loading images the one way the whole engine sees them: EXIF-upright, uint8 RGB, shape (H, W, 3).

Phone photos store rotation in EXIF instead of the pixels; annotators and the dashboard see the upright picture,
so every loader must apply the tag or boxes land on the wrong pixels. Alpha is flattened onto white (receipts are
white paper; transparent pixels would otherwise turn black) and 16-bit scans are scaled to 8 bits.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ocr.errors import ImageReadError

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"})


def load_image(path: str | Path) -> np.ndarray:
    """Read an image file as upright uint8 RGB."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImageReadError(path, "image file not found") from None
    except OSError as error:
        raise ImageReadError(path, f"cannot read image file ({error.strerror or error})") from None
    return decode_image(data, str(path))


def decode_image(data: bytes, name: str) -> np.ndarray:
    """Decode encoded image bytes (an upload, a file's content) as upright uint8 RGB; ``name`` is for errors."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            rgb = _to_rgb(ImageOps.exif_transpose(image))
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise ImageReadError(name, f"not a readable image ({type(error).__name__})") from None
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageReadError(name, f"cannot decode image ({error})") from None
    if rgb.shape[0] == 0 or rgb.shape[1] == 0:
        raise ImageReadError(name, "image has no pixels")
    return rgb


def list_images(folder: str | Path) -> list[Path]:
    """Image files directly inside ``folder``, sorted by name; suffixes match case-insensitively.

    Hidden files are skipped (macOS ``._x.jpg`` companions are not images). An empty list is a valid answer;
    a missing folder is an error because it is almost always a typo in a path.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ImageReadError(folder, "image folder not found")
    return sorted(
        (
            path
            for path in folder.iterdir()
            if path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(".") and path.is_file()
        ),
        key=lambda path: path.name,
    )


def _to_rgb(image: Image.Image) -> np.ndarray:
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N"):
        gray = (np.asarray(image, dtype=np.uint16) >> 8).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return np.array(image.convert("RGB"), dtype=np.uint8)
