"""``python -m ocr.evaluate``: ICDAR 2015 precision / recall / hmean of a checkpoint on any annotated folder.

A plain command (no Hydra) for quick checks, e.g. on ../shared/data/receipts-real. The last line is always
``hmean=H precision=P recall=R images=N``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

from ocr.errors import OcrError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_CHECKPOINT = PROJECT_ROOT / "data" / "checkpoints" / "dbnet_lite_synth.ckpt"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ocr.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--images", required=True, type=Path, help="folder of images")
    parser.add_argument("--annotations", required=True, type=Path, help="annotation JSON of those images")
    parser.add_argument("--checkpoint", type=Path, default=BUNDLED_CHECKPOINT, help="default: the bundled checkpoint")
    parser.add_argument("--json", type=Path, help="write overall and per-image scores here")
    parser.add_argument("--image-size", type=int, help="longest side fed to the model (default: the checkpoint's)")
    parser.add_argument("--device", default="auto", help="auto (CUDA when present), cpu, cuda, cuda:1 ...")
    parser.add_argument("--batch-size", type=int, default=1)
    tuning = parser.add_argument_group("post-processing (default: what the checkpoint was validated with)")
    tuning.add_argument("--thresh", type=float)
    tuning.add_argument("--box-thresh", type=float)
    tuning.add_argument("--unclip-ratio", type=float)
    tuning.add_argument("--max-candidates", type=int)
    tuning.add_argument("--min-size", type=int)
    tuning.add_argument("--polygon", action="store_true", default=None, help="polygon output instead of boxes")
    return parser.parse_args(argv)


def evaluate(args: argparse.Namespace) -> dict:
    from ocr.data.annotations import load_annotations
    from ocr.data.images import load_image
    from ocr.inference.detector import TextDetector
    from ocr.metrics.icdar import DatasetScore, evaluate_image

    annotations = load_annotations(args.annotations)
    names = sorted(name for name in annotations if (args.images / name).is_file())
    if not names:
        raise OcrError(args.images, f"none of the images named in {args.annotations.name} is in this folder")
    detector = TextDetector.load(args.checkpoint, device=args.device, image_size=args.image_size)
    chosen = {
        "thresh": args.thresh,
        "box_thresh": args.box_thresh,
        "unclip_ratio": args.unclip_ratio,
        "max_candidates": args.max_candidates,
        "min_size": args.min_size,
        "use_polygon": args.polygon,
    }
    params = replace(detector.default_params, **{key: value for key, value in chosen.items() if value is not None})
    total = DatasetScore()
    per_image: dict[str, dict] = {}
    start = time.perf_counter()
    for offset in range(0, len(names), args.batch_size):
        chunk = names[offset : offset + args.batch_size]
        results = detector.detect_batch([load_image(args.images / name) for name in chunk], params)
        for name, result in zip(chunk, results, strict=True):
            truth = annotations[name]
            score = evaluate_image(truth.polygons, truth.ignore, result.polygons)
            total.add(score)
            per_image[name] = {key: getattr(score, key) for key in ("matched", "n_gt", "n_det", "precision",
                                                                    "recall", "hmean")}
    summary = total.summary()
    return {
        "checkpoint": str(args.checkpoint),
        "images": len(names),
        "seconds": round(time.perf_counter() - start, 2),
        "postprocess": asdict(params),
        "image_size": detector.image_size,
        **summary,
        "per_image": per_image,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        report = evaluate(args)
    except (OcrError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
    from ocr.runners.evaluation import result_line

    print(result_line(report, report["images"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
