"""Font discovery for receipt rendering, with a built-in fallback so generation never fails.

Real receipts use Arial/Helvetica-like sans, thermal/dot-matrix monospace, some serif and bold/condensed headers.
The Debian packages CI installs (fonts-dejavu-core, fonts-liberation2, fonts-freefont-ttf, fonts-noto-mono) cover
those looks; the files are grouped into *styles* so layout code asks for "mono bold" rather than a path. When no
font file exists (a bare container) every style maps to Pillow's bundled scalable font, and bold is faked with a
stroke, so the generator still produces valid, if less varied, data.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

FONT_ROOTS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/freefont"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/truetype"),
    Path("/usr/share/fonts"),
)

# File stem -> style. Only faces that look like receipt print are listed (no math or extra-light faces).
_STYLE_OF_STEM = {
    "LiberationSans-Regular": "sans",
    "DejaVuSans": "sans",
    "FreeSans": "sans",
    "LiberationSans-Bold": "sans_bold",
    "DejaVuSans-Bold": "sans_bold",
    "FreeSansBold": "sans_bold",
    "LiberationSansNarrow-Regular": "narrow",
    "DejaVuSansCondensed": "narrow",
    "LiberationSansNarrow-Bold": "narrow_bold",
    "DejaVuSansCondensed-Bold": "narrow_bold",
    "LiberationSans-Italic": "italic",
    "DejaVuSans-Oblique": "italic",
    "FreeSansOblique": "italic",
    "LiberationSans-BoldItalic": "italic",
    "LiberationMono-Regular": "mono",
    "DejaVuSansMono": "mono",
    "FreeMono": "mono",
    "NotoSansMono-Regular": "mono",
    "NotoMono-Regular": "mono",
    "LiberationMono-Bold": "mono_bold",
    "DejaVuSansMono-Bold": "mono_bold",
    "FreeMonoBold": "mono_bold",
    "NotoSansMono-Bold": "mono_bold",
    "LiberationSerif-Regular": "serif",
    "DejaVuSerif": "serif",
    "FreeSerif": "serif",
    "LiberationSerif-Bold": "serif_bold",
    "DejaVuSerif-Bold": "serif_bold",
    "FreeSerifBold": "serif_bold",
    "LiberationSerif-Italic": "italic",
    "DejaVuSerifCondensed-Bold": "serif_bold",
}

STYLES = ("sans", "sans_bold", "narrow", "narrow_bold", "italic", "mono", "mono_bold", "serif", "serif_bold")

# Where a style has no file of its own, borrow the nearest one (e.g. no condensed face -> regular sans).
_FALLBACK_STYLE = {
    "sans_bold": "sans",
    "narrow": "sans",
    "narrow_bold": "sans_bold",
    "italic": "sans",
    "mono": "sans",
    "mono_bold": "mono",
    "serif": "sans",
    "serif_bold": "serif",
}


@dataclass(frozen=True)
class FontChoice:
    """A concrete face: ``path`` None means Pillow's built-in font; ``fake_bold`` asks for a 1 px stroke."""

    path: str | None
    fake_bold: bool = False


@functools.cache
def discover_fonts(roots: tuple[Path, ...] = FONT_ROOTS) -> dict[str, tuple[FontChoice, ...]]:
    """Map every style to the faces available on this machine (always non-empty per style)."""
    found: dict[str, dict[str, FontChoice]] = {style: {} for style in STYLES}
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*.ttf")):
            style = _STYLE_OF_STEM.get(path.stem)
            if style is not None:
                found[style].setdefault(path.stem, FontChoice(str(path)))  # first root wins (liberation2 first)
    return {style: _resolve(style, found) for style in STYLES}


def _resolve(style: str, found: dict[str, dict[str, FontChoice]]) -> tuple[FontChoice, ...]:
    current: str | None = style
    while current is not None:
        if found[current]:
            faces = tuple(found[current].values())
            if current != style and style.endswith("_bold") and not current.endswith("_bold"):
                faces = tuple(FontChoice(face.path, fake_bold=True) for face in faces)
            return faces
        current = _FALLBACK_STYLE.get(current)
    return (FontChoice(None, fake_bold=style.endswith("_bold")),)


@functools.lru_cache(maxsize=512)
def load_font(choice: FontChoice, size: int) -> ImageFont.FreeTypeFont:
    """The face at ``size`` px, cached per process (loading a TTF costs about a millisecond)."""
    size = max(6, int(size))
    if choice.path is None:
        return ImageFont.load_default(size=size)
    try:
        return ImageFont.truetype(choice.path, size=size)
    except OSError:
        return ImageFont.load_default(size=size)
