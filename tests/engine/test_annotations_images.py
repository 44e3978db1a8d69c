"""Specification of the annotation file reader/writer and the image loader."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocr.data.annotations import ImageAnnotation, load_annotations, save_annotations
from ocr.data.images import decode_image, list_images, load_image
from ocr.errors import AnnotationError, ImageReadError

SQUARE = [[10.0, 20.0], [110.0, 20.0], [110.0, 45.0], [10.0, 45.0]]


def _write_json(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _one_word_document(**word_overrides: object) -> dict:
    word = {"points": SQUARE, "text": "TOTAL"} | word_overrides
    return {"images": {"a.jpg": {"width": 200, "height": 100, "words": {"0001": word}}}}


# --- annotations ---------------------------------------------------------------------------------------------------


def test_saved_annotations_load_back_identically_including_dont_care_regions(tmp_path: Path) -> None:
    pentagon = np.array([[1.25, 2.5], [30.75, 2.0], [40.0, 20.0], [20.5, 33.33], [0.0, 20.0]], dtype=np.float32)
    original = {
        "r1.jpg": ImageAnnotation(640, 1280, [np.array(SQUARE, dtype=np.float32), pentagon], ["RM 12.50", "###"]),
        "r2.png": ImageAnnotation(300, 400, [], []),
    }
    path = tmp_path / "nested" / "annotations.json"
    save_annotations(path, original)
    loaded = load_annotations(path)

    assert list(loaded) == ["r1.jpg", "r2.png"]
    first = loaded["r1.jpg"]
    assert (first.width, first.height) == (640, 1280)
    assert first.texts == ["RM 12.50", "###"]
    assert first.ignore == [False, True]
    for got, want in zip(first.polygons, original["r1.jpg"].polygons, strict=True):
        assert got.dtype == np.float32 and got.shape == want.shape
        np.testing.assert_allclose(got, want, atol=0.005)
    assert loaded["r2.png"].polygons == [] and loaded["r2.png"].texts == []


def test_saved_file_uses_the_shared_layout_with_numbered_word_ids(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    save_annotations(path, {"a.jpg": ImageAnnotation(200, 100, [np.array(SQUARE, dtype=np.float32)], ["TOTAL"])})
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document == {
        "images": {"a.jpg": {"width": 200, "height": 100, "words": {"0001": {"points": SQUARE, "text": "TOTAL"}}}}
    }
    assert [p.name for p in tmp_path.iterdir()] == ["annotations.json"], "no temp file may be left behind"


def test_the_real_receipt_annotations_load(tmp_path: Path) -> None:
    real = Path(__file__).resolve().parents[3] / "shared" / "data" / "receipts-real" / "annotations.json"
    if not real.exists():
        pytest.skip("shared real receipt set not present")
    loaded = load_annotations(real)
    assert len(loaded) > 0
    assert all(polygon.shape == (4, 2) for ann in loaded.values() for polygon in ann.polygons)


def test_missing_file_is_an_annotation_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(AnnotationError, match=r"nope\.json") as caught:
        load_annotations(path)
    assert "not found" in str(caught.value)


def test_malformed_json_names_the_file_and_the_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"images": {"a.jpg": {"width": 1,', encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"broken\.json.*invalid JSON at line 1"):
        load_annotations(path)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ([], '"images" object'),
        ({"pictures": {}}, '"images" object'),
        ({"images": {"a.jpg": {"height": 100, "words": {}}}}, "missing key 'width'"),
        ({"images": {"a.jpg": {"width": 200, "height": 100}}}, "missing key 'words'"),
        ({"images": {"a.jpg": {"width": -3, "height": 100, "words": {}}}}, "width must be a positive integer"),
        ({"images": {"a.jpg": {"width": 200, "height": 100, "words": []}}}, "'words' must be an object"),
    ],
)
def test_missing_or_wrong_image_keys_are_reported_with_file_and_image(
    tmp_path: Path, document: object, problem: str
) -> None:
    path = _write_json(tmp_path / "bad_keys.json", document)
    with pytest.raises(AnnotationError) as caught:
        load_annotations(path)
    message = str(caught.value)
    assert "bad_keys.json" in message and problem in message
    if isinstance(document, dict) and "images" in document:
        assert "'a.jpg'" in message


@pytest.mark.parametrize(
    ("word", "problem"),
    [
        ({"text": "TOTAL"}, "missing key 'points'"),
        ({"points": SQUARE}, "missing key 'text'"),
        ({"points": SQUARE, "text": 12}, "text must be a string"),
        ({"points": SQUARE[:3], "text": "x"}, "at least 4 [x, y] pairs"),
        ({"points": [[1, 2, 3]] * 4, "text": "x"}, "at least 4 [x, y] pairs"),
        ({"points": [1, 2, 3, 4, 5, 6, 7, 8], "text": "x"}, "at least 4 [x, y] pairs"),
        ({"points": "0,0,1,0,1,1,0,1", "text": "x"}, "at least 4 [x, y] pairs"),
        ({"points": [*SQUARE[:3], ["a", 1]], "text": "x"}, "finite numbers"),
    ],
)
def test_wrong_words_and_point_shapes_are_reported_with_file_image_and_word(
    tmp_path: Path, word: dict, problem: str
) -> None:
    document = {"images": {"a.jpg": {"width": 200, "height": 100, "words": {"0007": word}}}}
    path = _write_json(tmp_path / "bad_points.json", document)
    with pytest.raises(AnnotationError) as caught:
        load_annotations(path)
    message = str(caught.value)
    assert "bad_points.json" in message and "'a.jpg'" in message and "'0007'" in message and problem in message


def test_non_finite_coordinates_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "nan.json"
    path.write_text(json.dumps(_one_word_document()).replace("110.0, 20.0", "NaN, 20.0"), encoding="utf-8")
    with pytest.raises(AnnotationError, match="finite numbers"):
        load_annotations(path)


def test_polygon_and_text_counts_must_agree() -> None:
    with pytest.raises(ValueError, match="2 polygons but 1 texts"):
        ImageAnnotation(10, 10, [np.zeros((4, 2), np.float32)] * 2, ["a"])


# --- images --------------------------------------------------------------------------------------------------------


def _gradient(width: int = 40, height: int = 20) -> np.ndarray:
    image = np.zeros((height, width, 3), dtype=np.uint8)
    image[..., 0] = np.linspace(0, 255, width, dtype=np.uint8)[None, :]
    image[..., 1] = np.linspace(0, 255, height, dtype=np.uint8)[:, None]
    return image


def test_png_loads_as_uint8_rgb_with_the_same_pixels(tmp_path: Path) -> None:
    pixels = _gradient()
    Image.fromarray(pixels).save(tmp_path / "g.png")
    loaded = load_image(tmp_path / "g.png")
    assert loaded.dtype == np.uint8 and loaded.shape == (20, 40, 3)
    np.testing.assert_array_equal(loaded, pixels)


def test_exif_orientation_is_applied_so_pixels_are_upright(tmp_path: Path) -> None:
    pixels = np.full((20, 40, 3), 255, dtype=np.uint8)
    pixels[:, :5] = 0  # dark band on the stored image's left edge
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    Image.fromarray(pixels).save(tmp_path / "phone.jpg", exif=exif, quality=95)

    loaded = load_image(tmp_path / "phone.jpg")
    assert loaded.shape == (40, 20, 3), "width and height swap for a 90 degree orientation"
    assert loaded[:5].mean() < 60, "the stored left edge is displayed at the top"
    assert loaded[-5:].mean() > 200


def test_grey_and_transparent_images_become_rgb_and_transparency_becomes_white() -> None:
    rgba = np.zeros((8, 8, 4), dtype=np.uint8)
    rgba[:4, :, 3] = 255  # top half opaque black, bottom half fully transparent
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG")
    loaded = decode_image(buffer.getvalue(), "upload.png")
    assert loaded.shape == (8, 8, 3)
    assert loaded[:4].max() == 0 and loaded[4:].min() == 255

    buffer = io.BytesIO()
    Image.fromarray(np.full((5, 6), 77, dtype=np.uint8), "L").save(buffer, format="BMP")
    assert decode_image(buffer.getvalue(), "g.bmp").shape == (5, 6, 3)


def test_sixteen_bit_scans_are_scaled_not_clipped() -> None:
    buffer = io.BytesIO()
    Image.fromarray(np.full((4, 4), 32768, dtype=np.uint16)).save(buffer, format="PNG")
    assert decode_image(buffer.getvalue(), "scan16.png")[0, 0].tolist() == [128, 128, 128]


def test_a_non_image_file_is_an_image_read_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("this is not a jpeg", encoding="utf-8")
    with pytest.raises(ImageReadError, match=r"notes\.jpg"):
        load_image(path)


def test_truncated_and_missing_images_are_image_read_errors(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.fromarray(_gradient(200, 200)).save(buffer, format="JPEG")
    with pytest.raises(ImageReadError, match=r"half\.jpg"):
        decode_image(buffer.getvalue()[:300], "half.jpg")
    with pytest.raises(ImageReadError, match=r"missing\.png.*not found"):
        load_image(tmp_path / "missing.png")


def test_list_images_is_sorted_case_insensitive_and_skips_other_files(tmp_path: Path) -> None:
    for name in ["b.PNG", "a.jpg", "c.JPEG", "d.tif", "e.Tiff", "f.webp", "g.bmp", "notes.txt", "h.gif", "._a.jpg"]:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "sub.jpg").mkdir()
    names = [path.name for path in list_images(tmp_path)]
    assert names == ["a.jpg", "b.PNG", "c.JPEG", "d.tif", "e.Tiff", "f.webp", "g.bmp"]


def test_list_images_of_an_empty_folder_is_empty_but_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    assert list_images(tmp_path) == []
    with pytest.raises(ImageReadError, match="no_such_dir"):
        list_images(tmp_path / "no_such_dir")
