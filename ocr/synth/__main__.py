"""CLI: ``python -m ocr.synth --out DIR --n N --seed S [--workers K]`` (also installed as ``ocr-synth``)."""

from __future__ import annotations

import argparse
import os
import sys
import time

from ocr.synth.generator import write_dataset


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ocr.synth",
        description="Generate synthetic receipt images with text-run boxes (DIR/images/*.jpg, DIR/annotations.json).",
    )
    parser.add_argument("--out", required=True, help="output folder (created if missing)")
    parser.add_argument("--n", type=_non_negative, required=True, help="number of images")
    parser.add_argument("--seed", type=_non_negative, default=0, help="data set seed (same seed, same images)")
    parser.add_argument(
        "--workers",
        type=_non_negative,
        default=1,
        help=f"processes to use (0 = all {os.cpu_count()} cores; output does not depend on it)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    workers = args.workers or os.cpu_count() or 1
    start = time.perf_counter()
    step = max(1, args.n // 20)

    def report(done: int, total: int) -> None:
        if done % step == 0 or done == total:
            print(f"synth: {done}/{total} images", file=sys.stderr, flush=True)

    annotations = write_dataset(args.out, args.n, args.seed, workers=workers, progress=report)
    elapsed = time.perf_counter() - start
    boxes = sum(len(a.polygons) for a in annotations.values())
    per_image = elapsed / max(1, args.n)
    print(
        f"synth: wrote {len(annotations)} images ({boxes} boxes) to {args.out} in {elapsed:.1f} s "
        f"({per_image:.3f} s/image, {workers} worker(s))"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
