"""Procedural receipt content: what is printed where, as rows of separately boxed text runs.

The unit of annotation in the evaluation set is a *text run*: words separated by single spaces belong together,
while columns (qty, price, right-aligned amount) and "label :" / "value" pairs are separate boxes. So content is
produced as :class:`Row` objects holding :class:`Run` objects with a horizontal anchor; the layout module turns
each run into one box. Structure follows real receipts (header, title, meta, item table, totals, GST summary,
footer) with random variation in every section so the detector does not learn one template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import numpy as np

from ocr.synth import vocabulary as vocab

Align = Literal["left", "center", "right"]
RowKind = Literal["text", "rule", "space", "barcode", "qr", "logo"]
T = TypeVar("T")


@dataclass(frozen=True)
class TextStyle:
    """How a row or run is printed: a font style (see ``fonts.STYLES``), size relative to the body text,
    horizontal stretch (thermal printers' double-width, condensed faces) and white-on-black."""

    family: str = "body"
    scale: float = 1.0
    stretch: float = 1.0
    inverse: bool = False


@dataclass(frozen=True)
class Run:
    """One separately boxed piece of text, anchored at ``x`` (fraction of the content width)."""

    text: str
    x: float
    align: Align = "left"
    style: TextStyle | None = None
    shrinkable: bool = False  # may be cut short to make room for the next column (item descriptions)


@dataclass
class Row:
    """One printed line (or a graphic element occupying a line's place)."""

    kind: RowKind
    runs: list[Run] = field(default_factory=list)
    style: TextStyle = TextStyle()
    space_before: float = 0.0  # extra gap, in body line heights
    rule: str = "dash"  # for rule rows: dash | solid | double | chars


class _Writer:
    """Builds one receipt's rows; holds the per-receipt choices (case, columns, fonts) so they stay consistent."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.rows: list[Row] = []
        self.case = self._pick(["upper", "upper", "upper", "title", "mixed"])
        self.body = TextStyle("body")
        self.bold = TextStyle("bold")
        self.amount_x = 1.0
        self.tax_code = self.rng.random() < 0.25
        if self.tax_code:
            self.amount_x = float(rng.uniform(0.86, 0.92))
        self.price_x = float(rng.uniform(0.64, 0.8)) * self.amount_x
        self.qty_x = self.price_x - float(rng.uniform(0.12, 0.2))
        self.total_label_align: Align = self._pick(["left", "right", "right"])
        if self.total_label_align == "left":
            self.total_label_x = float(rng.choice([0.0, 0.0, rng.uniform(0.05, 0.4)]))
        else:
            self.total_label_x = float(rng.uniform(0.4, self.price_x + 0.02))
        right_of_label = self.total_label_x + 0.015
        self.colon_x = right_of_label if self.total_label_align == "right" else float(rng.uniform(0.4, 0.6))
        self.colon_column = rng.random() < 0.15
        self.currency = self._pick(["", "", "", "RM", "RM "])

    # --- random helpers ----------------------------------------------------------------------------------------

    def _pick(self, options: Sequence[T]) -> T:
        return options[int(self.rng.integers(len(options)))]

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def digits(self, n: int) -> str:
        return "".join(str(d) for d in self.rng.integers(0, 10, n))

    def letters(self, n: int) -> str:
        return "".join(chr(65 + c) for c in self.rng.integers(0, 26, n))

    def code(self) -> str:
        shapes = [
            lambda: self.letters(2) + self.digits(int(self.rng.integers(5, 10))),
            lambda: self.digits(int(self.rng.integers(4, 14))),
            lambda: f"{self.letters(int(self.rng.integers(1, 4)))}-{self.digits(int(self.rng.integers(3, 7)))}",
            lambda: f"{self.digits(6)}-{self.letters(1)}",
            lambda: self.letters(int(self.rng.integers(2, 6))) + "-" + self.letters(int(self.rng.integers(2, 5))),
            lambda: "".join(
                self._pick("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(int(self.rng.integers(4, 12)))
            ),
        ]
        return self._pick(shapes)()

    def word(self) -> str:
        if self.chance(0.12):
            return self.letters(int(self.rng.integers(2, 7)))
        return self._pick(vocab.ITEM_WORDS)

    def cased(self, text: str) -> str:
        if self.case == "upper":
            return text.upper()
        if self.case == "title":
            return " ".join(w[:1].upper() + w[1:].lower() if w.isalpha() else w for w in text.split(" "))
        return text if self.chance(0.5) else text.upper()

    def money(self, low: float = 0.5, high: float = 120.0) -> float:
        value = float(np.exp(self.rng.uniform(np.log(low), np.log(high))))
        return round(value * 20) / 20 if self.chance(0.6) else round(value, 2)

    def fmt(self, value: float, currency: bool = False) -> str:
        text = f"{value:,.2f}" if abs(value) >= 1000 and self.chance(0.5) else f"{value:.2f}"
        return (self.currency + text) if currency and self.currency else text

    def date(self) -> str:
        d, m, y = int(self.rng.integers(1, 29)), int(self.rng.integers(1, 13)), int(self.rng.integers(2014, 2020))
        return self._pick(
            [
                f"{d:02d}/{m:02d}/{y}",
                f"{d:02d}-{m:02d}-{y}",
                f"{d:02d}/{m:02d}/{y % 100:02d}",
                f"{y}-{m:02d}-{d:02d}",
                f"{d:02d} {self._pick(['JAN', 'FEB', 'MAR', 'APR', 'MAY'])} {y}",
            ]
        )

    def time(self) -> str:
        h, mi, s = int(self.rng.integers(0, 24)), int(self.rng.integers(0, 60)), int(self.rng.integers(0, 60))
        if self.chance(0.3):
            return f"{(h % 12) or 12}:{mi:02d}:{s:02d} {'PM' if h >= 12 else 'AM'}"
        return f"{h:02d}:{mi:02d}:{s:02d}" if self.chance(0.6) else f"{h:02d}:{mi:02d}"

    def phone(self) -> str:
        return self._pick(
            [
                f"0{self.rng.integers(3, 10)}-{self.digits(4)} {self.digits(4)}",
                f"0{self.rng.integers(3, 10)}-{self.digits(7)}",
                f"01{self.rng.integers(0, 10)}-{self.digits(7)}",
                f"+60{self.rng.integers(3, 10)}-{self.digits(4)} {self.digits(4)}",
            ]
        )

    # --- rows ----------------------------------------------------------------------------------------------------

    def text_row(self, runs: list[Run], style: TextStyle | None = None, space: float = 0.0) -> None:
        self.rows.append(Row("text", [r for r in runs if r.text.strip()], style or self.body, space))

    def centered(self, text: str, style: TextStyle | None = None, space: float = 0.0) -> None:
        self.text_row([Run(text, 0.5, "center")], style, space)

    def rule(self, space: float = 0.0) -> None:
        self.rows.append(Row("rule", space_before=space, rule=self._pick(["dash", "dash", "solid", "double", "chars"])))

    def space(self, lines: float) -> None:
        self.rows.append(Row("space", space_before=lines))

    # --- sections ------------------------------------------------------------------------------------------------

    def preamble(self) -> None:
        if self.chance(0.06):
            self.rule()
            self.centered(self.cased("Your order number is"), TextStyle("body", float(self.rng.uniform(1.3, 1.8))))
            self.centered(
                self.digits(int(self.rng.integers(2, 5))), TextStyle("bold", float(self.rng.uniform(1.8, 2.6)))
            )
            self.rule()
        if self.chance(0.3):
            self.rows.append(Row("logo", space_before=float(self.rng.uniform(0.2, 1.0))))
        if self.chance(0.12):
            self.centered(
                self.word().lower() if self.chance(0.5) else self.word(),
                TextStyle(self._pick(["serif_bold", "bold", "italic"]), float(self.rng.uniform(2.0, 3.2))),
            )

    def header(self) -> None:
        name = f"{self._pick(vocab.NAME_WORDS)} {self._pick(vocab.SHOP_WORDS)}"
        if self.chance(0.5):
            name = f"{self._pick(vocab.NAME_WORDS)} {name}"
        suffix = self._pick(vocab.COMPANY_SUFFIXES)
        style = TextStyle(
            self._pick(["bold", "bold", "body", "serif_bold", "narrow_bold"]),
            float(self.rng.uniform(1.05, 1.9)),
            float(self.rng.choice([1.0, 1.0, 1.0, 1.3, 0.9])),
        )
        if self.chance(0.35):
            self.centered(self.cased(name), style)
            self.centered(self.cased(suffix), style)
        else:
            self.centered(self.cased(f"{name} {suffix}"), style)
        if self.chance(0.8):
            reg = self._pick(
                [
                    f"({self.digits(int(self.rng.integers(5, 7)))}-{self.letters(1)})",
                    f"Co. Reg. No: {self.digits(6)}-{self.letters(1)}",
                    f"{self.letters(2)}{self.digits(7)}-{self.letters(1)}",
                    f"(Company No. {self.digits(6)}-{self.letters(1)})",
                ]
            )
            self.centered(self.cased(reg) if self.chance(0.5) else reg)
        if self.chance(0.35):
            self.centered(self.cased(f"{self._pick(vocab.NAME_WORDS)} {self._pick(vocab.AREA_WORDS)}"))
        lines = [
            f"NO. {self.rng.integers(1, 300)}, {self._pick(vocab.STREET_WORDS)} "
            f"{self._pick(vocab.NAME_WORDS)} {self.rng.integers(1, 30)},",
            f"{self._pick(vocab.AREA_WORDS)} {self._pick(vocab.NAME_WORDS)},",
            f"{self.digits(5)} {self._pick(vocab.CITIES)},",
            f"{self._pick(vocab.STATES)}.",
        ]
        count = int(self.rng.integers(2, 5))
        if count < 4 and self.chance(0.5):  # long address lines, as on most real receipts
            lines = [f"{lines[0]} {lines[1]}", lines[2] + " " + lines[3]]
        for line in lines[:count]:
            self.centered(self.cased(line))
        tel, fax = f"TEL: {self.phone()}", f"FAX: {self.phone()}"
        choice = self.rng.random()
        if choice < 0.35:
            self.centered(self.cased(f"{tel}  {fax}") if self.chance(0.5) else self.cased(tel))
        elif choice < 0.6:
            self.text_row([Run(self.cased(tel), 0.04, "left"), Run(self.cased(fax), 0.96, "right")])
        elif choice < 0.8:
            self.centered(self.cased(tel))
            self.centered(self.cased(fax))
        gst = self._pick(["GST ID No", "GST REG NO", "GST No", "GST ID", "(GST REG NO"])
        if self.chance(0.8):
            text = f"{gst}: {self.digits(12)}" + (")" if gst.startswith("(") else "")
            self.centered(self.cased(text), self.bold if self.chance(0.25) else None)

    def title(self) -> None:
        title = self.cased(self._pick(vocab.TITLES))
        inverse = self.chance(0.1)
        style = TextStyle(
            self._pick(["bold", "bold", "body", "serif_bold"]), float(self.rng.uniform(1.0, 1.6)), inverse=inverse
        )
        framed = self.chance(0.2) and not inverse
        if framed:
            self.rule(0.3)
        if self.chance(0.15) and not inverse:
            title = f"-{title}-" if self.chance(0.5) else f"*** {title} ***"
        self.centered(title, style, space=float(self.rng.uniform(0.2, 1.0)))
        if framed:
            self.rule()

    def meta(self) -> None:
        sep = self._pick([":", ":", " :", "#", ""])
        values = {"Date": self.date, "Time": self.time}
        for _ in range(int(self.rng.integers(2, 7))):
            runs: list[Run] = []
            for group in range(2 if self.chance(0.35) else 1):
                label = self._pick(vocab.META_LABELS)
                value = (
                    values.get(label, self.code)() if self.chance(0.75) else self.cased(self._pick(vocab.NAME_WORDS))
                )
                x = 0.0 if group == 0 else float(self.rng.uniform(0.48, 0.62))
                to_right = group == 1 and self.chance(0.5)
                label_text = self.cased(label) + sep
                if self.chance(0.65):
                    text = f"{label_text} {value}"
                    runs.append(Run(text, 1.0, "right") if to_right else Run(text, x))
                else:
                    runs.append(Run(label_text, x))
                    value_run = Run(value, x + float(self.rng.uniform(0.17, 0.3)))
                    runs.append(Run(value, 1.0, "right") if to_right else value_run)
            self.text_row(runs)

    def table_header(self) -> None:
        item, qty, price, amount = self._pick(vocab.TABLE_HEADERS)
        runs = [
            Run(self.cased(item), 0.0),
            Run(self.cased(qty), self.qty_x, "right"),
            Run(self.cased(price), self.price_x, "right"),
            Run(self.cased(amount), self.amount_x, "right"),
        ]
        if self.chance(0.2):
            self.text_row([Run("(RM)", self.price_x, "right"), Run("(RM)", self.amount_x, "right")])
        self.rule()
        self.text_row(runs, self.bold if self.chance(0.3) else None)
        self.rule()

    def item_description(self) -> str:
        words = [self.word() for _ in range(int(self.rng.integers(2, 8)))]
        if self.chance(0.4):
            words.append(f"{self.rng.integers(1, 1000)}{self._pick(vocab.UNITS)}")
        if self.chance(0.15):
            words.insert(0, self._pick(["SR:", "(UNIT)", "*", "1X", "-"]))
        return self.cased(" ".join(words))

    def items(self) -> float:
        total = 0.0
        layout = self._pick(["single", "single", "two_line", "qty_line"])
        for _ in range(int(self.rng.integers(1, 9))):
            qty = int(self.rng.choice([1, 1, 1, 2, 3, 4, 6, 10]))
            price = self.money(0.5, 80)
            amount = round(qty * price, 2)
            total += amount
            numbers = [
                Run(str(qty) if self.chance(0.8) else f"{qty}.00", self.qty_x, "right"),
                Run(self.fmt(price), self.price_x, "right"),
                Run(self.fmt(amount), self.amount_x, "right"),
            ]
            if self.tax_code:
                numbers.append(Run(self._pick(vocab.TAX_CODES), 1.0, "right"))
            if layout == "single":
                self.text_row([Run(self.item_description(), 0.0, shrinkable=True), *numbers])
            elif layout == "two_line":
                self.text_row([Run(self.code(), 0.0, shrinkable=True), *numbers])
                self.text_row([Run(self.item_description(), float(self.rng.choice([0.0, 0.03])), shrinkable=True)])
            else:
                self.text_row([Run(self.item_description(), 0.0, shrinkable=True)])
                self.text_row(
                    [
                        Run(f"{qty} x {self.fmt(price)}" if self.chance(0.5) else f"{qty} X", 0.08),
                        Run(self.fmt(amount), self.amount_x, "right"),
                    ]
                )
            if self.chance(0.08):
                self.text_row(
                    [Run(self.cased("Discount"), 0.08), Run(f"-{self.fmt(self.money(0.1, 5))}", self.amount_x, "right")]
                )
        return total

    def totals(self, total: float) -> None:
        self.rule(0.2)
        if self.chance(0.4):
            self.text_row(
                [
                    Run(self.cased(self._pick(["Total Qty", "Item Count", "TOT QTY", "No. of Items"])) + ":", 0.0),
                    Run(str(self.rng.integers(1, 20)), self.qty_x, "right"),
                ]
            )
        gst = round(total * 0.06, 2)
        lines = [
            ("Sub Total", total),
            ("GST 6%", gst),
            ("Rounding", float(self.rng.choice([0.0, -0.02, 0.01, -0.01]))),
            ("Total", total + gst),
        ]
        if self.chance(0.4):
            lines.insert(1, ("Discount", 0.0))
        tendered = float(np.ceil((total + gst) / 10) * 10)
        lines += [
            (self._pick((*vocab.PAYMENT_WORDS, "Cash", "Tendered", "Paid")), tendered),
            ("Change", tendered - total - gst),
        ]
        for label, value in lines:
            if self.chance(0.35):
                label = self._pick(vocab.TOTAL_LABELS)
            label_text = self.cased(label)
            if self.chance(0.3):
                label_text += self._pick([" (RM)", "(RM)", " RM"])
            emphasis = label in ("Total",) or (label.startswith("Total") and self.chance(0.3))
            style = None
            if emphasis and self.chance(0.7):
                style = TextStyle(
                    self._pick(["bold", "bold", "body"]),
                    float(self.rng.uniform(1.0, 1.6)),
                    float(self.rng.choice([1.0, 1.0, 1.4, 1.8])),
                )
            runs = []
            if self.colon_column:
                runs = [Run(label_text, self.total_label_x, self.total_label_align), Run(":", self.colon_x, "left")]
            else:
                runs = [Run(label_text + self._pick(["", "", " :", ":"]), self.total_label_x, self.total_label_align)]
            runs.append(Run(self.fmt(value, currency=True), self.amount_x, "right"))
            self.text_row(runs, style)
            if self.chance(0.1):
                self.rule()

    def gst_summary(self) -> None:
        self.rule(0.3)
        if self.chance(0.5):
            self.text_row([Run(self.cased("GST Summary"), 0.0)], self.bold if self.chance(0.4) else None)
        headers = [
            self.cased(self._pick(["Tax Code", "Code", "GST Summary", "Tax"])),
            self.cased(self._pick(["Amount (RM)", "Amount", "Amt(RM)", "Goods"])),
            self.cased(self._pick(["Tax (RM)", "Tax", "GST (RM)", "GST"])),
        ]
        xs = [0.0, self.price_x, 1.0]
        self.text_row([Run(headers[0], xs[0]), Run(headers[1], xs[1], "right"), Run(headers[2], xs[2], "right")])
        for code in self.rng.choice(
            ["SR", "ZR", "S", "Z", "SR @ 6%", "S = 6%", "Z = 0%"], int(self.rng.integers(1, 3))
        ):
            amount = self.money(1, 300)
            self.text_row(
                [
                    Run(str(code), 0.02),
                    Run(self.fmt(amount), xs[1], "right"),
                    Run(self.fmt(amount * 0.06), 1.0, "right"),
                ]
            )

    def footer(self) -> None:
        self.space(float(self.rng.uniform(0.3, 1.5)))
        footers = [str(text) for text in self.rng.choice(vocab.FOOTERS, int(self.rng.integers(1, 6)), replace=False)]
        while footers:
            text = footers.pop()
            if footers and self.chance(0.3):
                text = f"{text} {footers.pop()}"
            self.centered(
                self.cased(text) if self.chance(0.7) else text,
                TextStyle(self._pick(["body", "body", "italic", "bold"])),
            )
        if self.chance(0.3):
            self.centered(self.cased(f"www.{self._pick(vocab.NAME_WORDS).lower()}.com.my").lower())
        if self.chance(0.35):
            self.text_row([Run(f"{self.date()} {self.time()}", 0.0), Run(self.code(), 1.0, "right")], space=0.5)
        if self.chance(0.3):
            self.rows.append(Row(self._pick(["barcode", "barcode", "qr"]), space_before=0.5))


def make_receipt_rows(rng: np.random.Generator) -> list[Row]:
    """One receipt's rows, top to bottom, with random sections, lengths, columns and styles."""
    writer = _Writer(rng)
    writer.preamble()
    writer.header()
    writer.title()
    writer.meta()
    if writer.chance(0.15):
        writer.rows.append(Row("barcode", space_before=0.3))
    writer.table_header()
    total = writer.items()
    writer.totals(total)
    if writer.chance(0.55):
        writer.gst_summary()
    writer.footer()
    return writer.rows
