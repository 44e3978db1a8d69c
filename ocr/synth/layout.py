"""Rendering receipt rows to an ink canvas, with one tight box per text run.

Each run is drawn into its own small mask so its box is measured from the ink actually rendered (not from font
metrics, which include empty ascender/descender space and would make boxes taller than the annotators' ones).
Runs of a row share a baseline; columns that would collide are resolved by shortening descriptions or dropping
the later run, so two boxes never touch and a visible run is never left unannotated. Graphics (rules, barcodes,
QR codes, logos) go on the same printed-ink canvas without boxes; stamps and handwriting are kept as coloured
overlays because they are not printed by the receipt printer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.synth import clutter
from ocr.synth.content import Row, Run, TextStyle
from ocr.synth.fonts import STYLES, FontChoice, discover_fonts, load_font

INK_THRESHOLD = 80
"""Mask value (of 255) from which an antialiased pixel counts as ink for the tight box."""

_Placed = tuple[Run, str, float, float]  # run, (possibly shortened) text, x0, x1
_BOLD_OF = {"sans": "sans_bold", "mono": "mono_bold", "narrow": "narrow_bold", "serif": "serif_bold"}


@dataclass
class TextBox:
    """Tight ink bounds of one run in receipt pixels (x1, y1 exclusive) and its text."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Overlay:
    """A non-printed mark (stamp, pen) to blend in its own colour at (x, y) of the receipt."""

    mask: np.ndarray
    x: int
    y: int
    color: tuple[int, int, int]
    opacity: float


@dataclass
class ReceiptLayout:
    """A rendered receipt before any appearance effect: printed ink coverage, boxes and overlays."""

    ink: np.ndarray  # uint8 (H, W), 255 = full ink
    boxes: list[TextBox]
    overlays: list[Overlay]
    body_box_height: float  # median box height of body runs, used to choose the output scale

    def scaled(self, factor: float) -> ReceiptLayout:
        """The same receipt ``factor`` times the size; area resampling keeps thin strokes when shrinking."""
        h, w = self.ink.shape
        size = (max(1, round(w * factor)), max(1, round(h * factor)))
        fx, fy = size[0] / w, size[1] / h
        interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR

        def resize(mask: np.ndarray) -> np.ndarray:
            target = (max(1, round(mask.shape[1] * fx)), max(1, round(mask.shape[0] * fy)))
            return cv2.resize(mask, target, interpolation=interpolation)

        return ReceiptLayout(
            ink=cv2.resize(self.ink, size, interpolation=interpolation),
            boxes=[TextBox(b.x0 * fx, b.y0 * fy, b.x1 * fx, b.y1 * fy, b.text) for b in self.boxes],
            overlays=[
                Overlay(resize(o.mask), round(o.x * fx), round(o.y * fy), o.color, o.opacity) for o in self.overlays
            ],
            body_box_height=self.body_box_height * fy,
        )


@dataclass
class _Fonts:
    faces: dict[str, FontChoice]
    family: dict[str, str]
    heavy: bool  # fake-bold everything (over-inked impact printers)

    def get(self, style: TextStyle, size: int) -> tuple[ImageFont.FreeTypeFont, int]:
        name = self.family.get(style.family, style.family)
        choice = self.faces[name if name in self.faces else "sans"]
        stroke = 1 if (choice.fake_bold or self.heavy) and size >= 14 else 0
        return load_font(choice, size), stroke


def _pick_fonts(rng: np.random.Generator) -> _Fonts:
    available = discover_fonts()
    faces = {style: available[style][int(rng.integers(len(available[style])))] for style in STYLES}
    body = str(rng.choice(["sans", "mono", "narrow", "serif"], p=[0.5, 0.32, 0.08, 0.1]))
    family = {"body": body, "bold": _BOLD_OF[body] if rng.random() < 0.85 else "sans_bold"}
    return _Fonts(faces, family, heavy=bool(rng.random() < 0.08))


class _Renderer:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.fonts = _pick_fonts(rng)
        self.size = int(rng.integers(18, 30))
        body_font, _ = self.fonts.get(TextStyle("body"), self.size)
        char = body_font.getlength("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ") / 37
        self.content_w = int(char * rng.uniform(30, 50))
        self.margin = int(self.content_w * rng.uniform(0.02, 0.1)) + 4
        self.width = self.content_w + 2 * self.margin
        self.pitch = float(rng.uniform(1.0, 1.55))
        self.boxes: list[TextBox] = []
        self.body_heights: list[float] = []

    # --- text ----------------------------------------------------------------------------------------------------

    def _layout_runs(
        self, runs: list[Run], font: ImageFont.FreeTypeFont, stretch: float, stroke: int, size: int
    ) -> list[tuple[str, float, float]]:
        """Horizontal extents of the runs after collision handling: (text, x0, x1)."""
        min_gap = max(2.2 * font.getlength(" ") * stretch, 0.45 * size)
        left_edge, right_edge = self.margin * 0.5, self.width - self.margin * 0.5

        def extent(run: Run, text: str) -> tuple[float, float]:
            width = font.getlength(text) * stretch + 2 * stroke
            anchor = self.margin + run.x * self.content_w
            x0 = anchor if run.align == "left" else anchor - width if run.align == "right" else anchor - width / 2
            return x0, x0 + width

        placed: list[_Placed] = []
        for run in sorted(runs, key=lambda r: extent(r, r.text)[0]):
            text = run.text
            x0, x1 = extent(run, text)
            while x1 > right_edge and len(text.split(" ")) > 1 and run.align != "right":
                text = text.rsplit(" ", 1)[0]
                x0, x1 = extent(run, text)
            if x1 > right_edge or x0 < left_edge:
                if run.align == "center" and x1 - x0 <= right_edge - left_edge:
                    x0, x1 = x0 - max(0.0, x1 - right_edge) + max(0.0, left_edge - x0), x1 - max(0.0, x1 - right_edge)
                else:
                    continue
            if placed and x0 < placed[-1][3] + min_gap:
                resolved = self._resolve_collision(placed, x0, x1, min_gap, left_edge, right_edge, extent)
                if resolved is None:
                    continue
                x0, x1 = resolved
            placed.append((run, text, x0, x1))
        return [(text, x0, x1) for _, text, x0, x1 in placed]

    @staticmethod
    def _resolve_collision(
        placed: list[_Placed],
        x0: float,
        x1: float,
        min_gap: float,
        left_edge: float,
        right_edge: float,
        extent: Callable[[Run, str], tuple[float, float]],
    ) -> tuple[float, float] | None:
        """Make room for ``run`` after the last placed run: shorten a description, push the previous run left,
        or push this one right; ``None`` when nothing works (the run is then not printed at all)."""
        prev_run, prev_text, px0, px1 = placed[-1]
        overlap = px1 + min_gap - x0
        if prev_run.shrinkable:
            while len(prev_text) > 3 and px1 > x0 - min_gap:
                prev_text = prev_text[:-1].rstrip()
                px0, px1 = extent(prev_run, prev_text)
            if px1 <= x0 - min_gap:
                placed[-1] = (prev_run, prev_text, px0, px1)
                return x0, x1
            return None
        before = placed[-2][3] + min_gap if len(placed) > 1 else left_edge
        if px0 - overlap >= before:
            placed[-1] = (prev_run, prev_text, px0 - overlap, px1 - overlap)
            return x0, x1
        if x1 + overlap <= right_edge:
            return x0 + overlap, x1 + overlap
        return None

    def text_row(self, row: Row) -> np.ndarray:
        style = row.style
        size = max(9, round(self.size * style.scale))
        font, stroke = self.fonts.get(style, size)
        ascent, descent = font.getmetrics()
        pitch = self.pitch if style.scale < 1.3 else min(self.pitch, 1.2)
        height = int((ascent + descent) * pitch) + 2
        baseline = int((height - ascent - descent) / 2 + ascent)
        strip = np.zeros((height, self.width), np.uint8)
        placed = self._layout_runs(row.runs, font, style.stretch, stroke, size)
        if style.inverse and placed:
            pad = int(size * 0.3)
            full = self.rng.random() < 0.4
            x0 = self.margin if full else int(min(p[1] for p in placed)) - pad
            x1 = self.width - self.margin if full else int(max(p[2] for p in placed)) + pad
            strip[
                max(0, baseline - ascent - pad // 2) : min(height, baseline + descent + pad // 2), max(0, x0) : x1
            ] = 255
        for text, x0, _ in placed:
            mask, offset_x, offset_y = self._run_mask(text, font, stroke, style.stretch)
            box = self._paste(strip, mask, round(x0) + offset_x, baseline + offset_y, style.inverse)
            if box is not None:
                self.boxes.append(TextBox(*box, text=text))
                if style.scale == 1.0 and style.family == "body":
                    self.body_heights.append(box[3] - box[1])
        return strip

    @staticmethod
    def _run_mask(text: str, font: ImageFont.FreeTypeFont, stroke: int, stretch: float) -> tuple[np.ndarray, int, int]:
        left, top, right, bottom = font.getbbox(text, anchor="ls", stroke_width=stroke)
        image = Image.new("L", (right - left + 2, bottom - top + 2), 0)
        ImageDraw.Draw(image).text(
            (1 - left, 1 - top), text, font=font, fill=255, anchor="ls", stroke_width=stroke, stroke_fill=255
        )
        mask = np.asarray(image)
        if stretch != 1.0:
            mask = cv2.resize(
                mask, (max(1, round(mask.shape[1] * stretch)), mask.shape[0]), interpolation=cv2.INTER_LINEAR
            )
        return mask, round((left - 1) * stretch), top - 1

    @staticmethod
    def _paste(strip: np.ndarray, mask: np.ndarray, x: int, y: int, inverse: bool) -> tuple[int, int, int, int] | None:
        """Blend ``mask`` into ``strip`` at (x, y); returns the tight ink box in strip coordinates."""
        h, w = strip.shape
        sx0, sy0 = max(0, -x), max(0, -y)
        x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + mask.shape[1]), min(h, y + mask.shape[0])
        if x1 <= x0 or y1 <= y0:
            return None
        part = mask[sy0 : sy0 + y1 - y0, sx0 : sx0 + x1 - x0]
        region = strip[y0:y1, x0:x1]
        region[...] = np.minimum(region, 255 - part) if inverse else np.maximum(region, part)
        ink = part >= INK_THRESHOLD
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        if rows.size == 0:
            return None
        return x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1

    # --- graphics ------------------------------------------------------------------------------------------------

    def rule_row(self, row: Row) -> np.ndarray:
        height = int(self.size * self.rng.uniform(0.5, 1.0)) + 2
        strip = np.zeros((height, self.width), np.uint8)
        y = height // 2
        x0, x1 = self.margin, self.width - self.margin
        if self.rng.random() < 0.15:
            x0 = self.margin + int(self.content_w * self.rng.uniform(0.4, 0.7))
        thick = int(self.rng.integers(1, 3))
        if row.rule == "chars":
            font, _ = self.fonts.get(TextStyle("body"), self.size)
            char = str(self.rng.choice(["-", "=", "*", "_", "."]))
            text = char * max(1, int((x1 - x0) / max(1.0, font.getlength(char))))
            mask, ox, oy = self._run_mask(text, font, 0, 1.0)
            self._paste(strip, mask, x0 + ox, y + self.size // 3 + oy, False)
        elif row.rule == "dash":
            dash, gap = int(self.rng.integers(3, 12)), int(self.rng.integers(2, 7))
            for start in range(x0, x1, dash + gap):
                cv2.line(strip, (start, y), (min(x1, start + dash), y), 255, thick)
        else:
            cv2.line(strip, (x0, y), (x1, y), 255, thick)
            if row.rule == "double":
                cv2.line(strip, (x0, y + thick + 2), (x1, y + thick + 2), 255, thick)
        return strip

    def graphic_row(self, row: Row) -> np.ndarray:
        rng = self.rng
        if row.kind == "barcode":
            w = int(self.content_w * rng.uniform(0.4, 0.85))
            graphic = clutter.barcode(w, int(self.size * rng.uniform(1.5, 3.5)), rng)
        elif row.kind == "qr":
            graphic = clutter.qr_code(int(self.size * rng.uniform(3, 6)), rng)
        else:
            graphic = clutter.logo(int(self.size * rng.uniform(2.5, 5.5)), rng)
        gap = int(self.size * 0.3)
        strip = np.zeros((graphic.shape[0] + 2 * gap, self.width), np.uint8)
        align = rng.random()
        gw = min(graphic.shape[1], self.content_w)
        x = (
            self.margin + (self.content_w - gw) // 2
            if align < 0.7
            else self.margin
            if align < 0.85
            else self.width - self.margin - gw
        )
        strip[gap : gap + graphic.shape[0], x : x + gw] = graphic[:, :gw]
        if row.kind == "barcode" and rng.random() < 0.5:
            digits = "".join(str(d) for d in rng.integers(0, 10, int(rng.integers(8, 14))))
            first = len(self.boxes)
            below = self.text_row(
                Row("text", [Run(("*" + digits + "*") if rng.random() < 0.3 else digits, 0.5, "center")])
            )
            for box in self.boxes[first:]:
                box.y0 += strip.shape[0]
                box.y1 += strip.shape[0]
            strip = np.vstack([strip, below])
        return strip

    # --- whole receipt -------------------------------------------------------------------------------------------

    def render(self, rows: list[Row]) -> ReceiptLayout:
        rng = self.rng
        strips: list[np.ndarray] = []
        y = 0
        top_room = int(self.size * rng.uniform(0.5, 3.0)) + (int(self.size * 3) if rng.random() < 0.25 else 0)
        strips.append(np.zeros((top_room, self.width), np.uint8))
        y += top_room
        for row in rows:
            if row.space_before > 0:
                gap = int(row.space_before * self.size * self.pitch)
                strips.append(np.zeros((gap, self.width), np.uint8))
                y += gap
            if row.kind == "space":
                continue
            first_box = len(self.boxes)
            if row.kind == "text":
                strip = self.text_row(row)
            elif row.kind == "rule":
                strip = self.rule_row(row)
            else:
                strip = self.graphic_row(row)
            for box in self.boxes[first_box:]:
                box.y0 += y
                box.y1 += y
            strips.append(strip)
            y += strip.shape[0]
        bottom = int(self.size * rng.uniform(0.8, 4.0))
        strips.append(np.zeros((bottom, self.width), np.uint8))
        ink = np.vstack(strips)
        overlays = self._overlays(ink, top_room)
        body = float(np.median(self.body_heights)) if self.body_heights else 0.75 * self.size
        return ReceiptLayout(ink=ink, boxes=self.boxes, overlays=overlays, body_box_height=body)

    def _overlays(self, ink: np.ndarray, top_room: int) -> list[Overlay]:
        rng = self.rng
        h, w = ink.shape
        overlays: list[Overlay] = []
        pens = [(25, 45, 150), (30, 30, 35), (60, 50, 120), (20, 20, 90)]

        def free_spot(mw: int, mh: int, tries: int = 8) -> tuple[int, int] | None:
            for _ in range(tries):
                x, y = int(rng.integers(0, max(1, w - mw))), int(rng.integers(0, max(1, h - mh)))
                if ink[max(0, y - 10) : y + mh + 10, max(0, x - 10) : x + mw + 10].max() < 40:
                    return x, y
            return None

        if top_room > self.size * 2.5 or rng.random() < 0.35:
            for _ in range(int(rng.integers(1, 4))):
                mh = int(self.size * rng.uniform(1.2, 2.6))
                mw = min(w - 2, int(mh * rng.uniform(2.0, 7.0)))
                spot = (
                    (int(rng.integers(0, max(1, w - mw))), int(rng.integers(0, max(1, top_room - mh))))
                    if top_room > mh and rng.random() < 0.5
                    else free_spot(mw, mh)
                )
                if spot is not None:
                    overlays.append(
                        Overlay(
                            clutter.scribble(mw, mh, rng),
                            *spot,
                            pens[int(rng.integers(4))],
                            float(rng.uniform(0.7, 1.0)),
                        )
                    )
        numeric = [b for b in self.boxes if any(c.isdigit() for c in b.text) and b.x0 > w * 0.4]
        if numeric and rng.random() < 0.25:
            box = numeric[int(rng.integers(len(numeric)))]
            bw, bh = box.x1 - box.x0, box.y1 - box.y0
            mw, mh = int(bw * rng.uniform(1.3, 1.7)) + 8, int(bh * rng.uniform(1.8, 2.6)) + 6
            x, y = int(box.x0 + bw / 2 - mw / 2), int(box.y0 + bh / 2 - mh / 2)
            overlays.append(Overlay(clutter.ellipse_outline(mw, mh, rng), x, y, pens[int(rng.integers(4))], 0.9))
        if numeric and rng.random() < 0.2:
            box = numeric[int(rng.integers(len(numeric)))]
            size = int((box.y1 - box.y0) * rng.uniform(1.2, 2.0)) + 4
            overlays.append(
                Overlay(
                    clutter.tick(size, rng),
                    int(box.x1 + size * 0.3),
                    int(box.y0 - size * 0.3),
                    pens[int(rng.integers(4))],
                    0.9,
                )
            )
        if rng.random() < 0.12:
            sw = int(w * rng.uniform(0.3, 0.6))
            sh = int(sw * rng.uniform(0.45, 0.75))
            color = [(200, 30, 40), (40, 60, 170), (120, 40, 140), (30, 30, 30)][int(rng.integers(4))]
            overlays.append(
                Overlay(
                    clutter.stamp(sw, sh, rng, self.fonts.faces["sans_bold"]),
                    int(rng.integers(0, max(1, w - sw))),
                    int(rng.integers(h // 3, max(h // 3 + 1, h - sh))),
                    color,
                    float(rng.uniform(0.45, 0.85)),
                )
            )
        return overlays


def render_receipt(rows: list[Row], rng: np.random.Generator) -> ReceiptLayout:
    """Render ``rows`` with per-receipt random fonts, body size, width, margins and line pitch."""
    return _Renderer(rng).render(rows)
