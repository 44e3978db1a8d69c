"""Engine latency: cold model load, then per-image preprocess / forward / post-process at the default size.

    python benchmarks/engine.py [--checkpoint CKPT] [--images DIR] [--device auto|cpu|cuda] [--rounds N]
                                [--loads N] [--half] [--json OUT]

Cold load runs in fresh subprocesses (import of torch and the engine, checkpoint read, model build, weights onto
the device, first forward), so it is what a user waits for after starting a process. Inference times are per
image, batch size 1, after two warm-up images. Prints median and p90 of every measure.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLD_LOAD = """
import time, sys
start = time.perf_counter()
import torch
from ocr.inference.detector import TextDetector
import numpy as np
imported = time.perf_counter()
detector = TextDetector.load(sys.argv[1], device=sys.argv[2], half=sys.argv[3] == "1")
loaded = time.perf_counter()
detector.detect(np.full((1280, 640, 3), 255, dtype=np.uint8))
first = time.perf_counter()
print(imported - start, loaded - imported, first - loaded)
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {"median_ms": 1000 * statistics.median(values), "p90_ms": 1000 * percentile(values, 0.9), "n": len(values)}


def cold_loads(checkpoint: Path, device: str, half: bool, runs: int) -> dict[str, dict[str, float]]:
    parts: dict[str, list[float]] = {"import": [], "load_checkpoint_and_build": [], "first_detect": []}
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", COLD_LOAD, str(checkpoint), device, "1" if half else "0"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout.split()
        for key, value in zip(parts, output, strict=True):
            parts[key].append(float(value))
    total = [sum(values) for values in zip(*parts.values(), strict=True)]
    return {**{key: summary(values) for key, values in parts.items()}, "total": summary(total)}


def inference(checkpoint: Path, images: Path, device: str, half: bool, rounds: int) -> dict[str, object]:
    import torch

    from ocr.data.images import list_images, load_image
    from ocr.inference.detector import TextDetector

    detector = TextDetector.load(checkpoint, device=device, half=half)
    pictures = [load_image(path) for path in list_images(images)]
    for picture in pictures[:2]:
        detector.detect(picture)
    timings: dict[str, list[float]] = {"preprocess": [], "forward": [], "postprocess": [], "total": []}
    boxes = []
    for _ in range(rounds):
        for picture in pictures:
            start = time.perf_counter()
            result = detector.detect(picture)
            timings["total"].append(time.perf_counter() - start)
            for key in ("preprocess", "forward", "postprocess"):
                timings[key].append(result.timings[key])
            boxes.append(len(result.detections))
    return {
        "device": str(detector.device),
        "device_name": (
            torch.cuda.get_device_name(detector.device)
            if detector.device.type == "cuda"
            else platform.processor() or platform.machine()
        ),
        "threads": torch.get_num_threads(),
        "image_size": detector.image_size,
        "images": len(pictures),
        "mean_boxes": statistics.mean(boxes),
        **{key: summary(values) for key, values in timings.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", type=Path, default=ROOT / "data/checkpoints/dbnet_lite_synth.ckpt")
    parser.add_argument("--images", type=Path, default=ROOT / "data/samples/images")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--half", action="store_true", help="fp16 weights and inputs (CUDA only)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the images")
    parser.add_argument("--loads", type=int, default=5, help="cold-load subprocesses")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    report = {
        "machine": f"{platform.node()} {platform.machine()} {platform.system()}",
        "python": platform.python_version(),
        "cold_load": cold_loads(args.checkpoint, args.device, args.half, args.loads),
        "inference": inference(args.checkpoint, args.images, args.device, args.half, args.rounds),
    }
    print(f"machine: {report['machine']}  device: {report['inference']['device']} "
          f"({report['inference']['device_name']}, {report['inference']['threads']} threads)  "
          f"image_size: {report['inference']['image_size']}")
    print(f"{'measure':32s} {'median_ms':>10s} {'p90_ms':>10s} {'n':>5s}")
    for group in ("cold_load", "inference"):
        for key, value in report[group].items():
            if isinstance(value, dict):
                print(f"{group + '.' + key:32s} {value['median_ms']:10.1f} {value['p90_ms']:10.1f} {value['n']:5d}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
