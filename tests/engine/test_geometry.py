"""The letterbox shared by training and inference must be exactly invertible, for every aspect ratio."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocr.data.geometry import IMAGENET_MEAN, IMAGENET_STD, Letterbox, letterbox, normalize, offset_polygon


def _image(height: int, width: int) -> np.ndarray:
    return np.full((height, width, 3), 200, dtype=np.uint8)


def _bright_box(image: np.ndarray) -> tuple[int, int, int, int]:
    """Corner-coordinate bounding box (x0, y0, x1, y1) of pixels brighter than mid grey."""
    ys, xs = np.nonzero(image[..., 0] > 127)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


@pytest.mark.parametrize(
    ("height", "width", "expected_out"),
    [
        (1400, 600, (416, 960)),  # portrait receipt: 600 * 960/1400 = 411.4 -> 411, padded to 416
        (600, 1400, (960, 416)),  # landscape
        (960, 960, (960, 960)),
        (300, 200, (640, 960)),  # enlarging a small image: 200 * 3.2 = 640
    ],
)
def test_longest_side_fits_and_each_side_pads_to_a_multiple_of_32(height, width, expected_out):
    padded, box = letterbox(_image(height, width), 960)
    out_w, out_h = expected_out
    assert padded.shape == (out_h, out_w, 3)
    assert (box.out_w, box.out_h) == (out_w, out_h)
    assert box.out_w % 32 == 0 and box.out_h % 32 == 0
    assert max(box.resized_w, box.resized_h) == 960
    assert box.scale == pytest.approx(960 / max(height, width))


@pytest.mark.parametrize(("height", "width"), [(1400, 600), (600, 1400), (500, 500)])
def test_square_letterbox_pads_right_and_bottom_only(height, width):
    padded, box = letterbox(_image(height, width), 640, square=True)
    assert padded.shape == (640, 640, 3)
    assert (box.out_w, box.out_h) == (640, 640)
    assert _bright_box(padded) == (0, 0, box.resized_w, box.resized_h)
    assert not padded[box.resized_h :, :].any() and not padded[:, box.resized_w :].any()


@pytest.mark.parametrize(
    ("height", "width", "longest"),
    [(1400, 600, 960), (600, 1400, 960), (1400, 600, 2048), (37, 91, 640)],
)
def test_points_round_trip_exactly_through_model_space(height, width, longest):
    _, box = letterbox(_image(height, width), longest)
    rng = np.random.default_rng(0)
    points = (rng.random((50, 2)) * (width, height)).astype(np.float32)
    back = box.to_original(box.to_model(points))
    np.testing.assert_allclose(back, points, rtol=0, atol=1e-3)
    model = rng.random((50, 2)).astype(np.float32) * (box.out_w, box.out_h)
    np.testing.assert_allclose(box.to_model(box.to_original(model)), model, rtol=0, atol=1e-3)


@pytest.mark.parametrize(("height", "width"), [(1400, 600), (600, 1400), (100, 60)])
def test_pixels_land_where_to_model_says(height, width):
    """The resized content and the point transform agree: a drawn rectangle sits where to_model puts it."""
    image = np.zeros((height, width, 3), dtype=np.uint8)
    x0, y0, x1, y1 = width // 5, height * 3 // 5, width * 4 // 5, height * 4 // 5
    image[y0:y1, x0:x1] = 255
    padded, box = letterbox(image, 960)
    expected = box.to_model(np.array([[x0, y0], [x1, y1]], dtype=np.float32)).ravel()
    np.testing.assert_allclose(_bright_box(padded), expected, atol=1.0)


@settings(max_examples=40, deadline=None)
@given(
    height=st.integers(1, 1500),
    width=st.integers(1, 1500),
    longest=st.integers(32, 1024),
    square=st.booleans(),
)
def test_any_size_letterbox_is_consistent(height, width, longest, square):
    padded, box = letterbox(np.zeros((height, width), dtype=np.uint8), longest, square=square)
    assert padded.shape == (box.out_h, box.out_w)
    assert box.resized_w <= box.out_w and box.resized_h <= box.out_h
    corner = np.array([[width, height]], dtype=np.float32)
    np.testing.assert_allclose(box.to_model(corner), [[width * box.scale, height * box.scale]], rtol=1e-6)
    np.testing.assert_allclose(box.to_original(box.to_model(corner)), corner, rtol=1e-6)
    if not square:
        assert box.out_w % 32 == 0 and box.out_h % 32 == 0


def test_clip_original_keeps_points_on_the_image():
    box = Letterbox(scale=0.5, orig_w=600, orig_h=1400, out_w=320, out_h=704)
    points = np.array([[-5, 10], [700, -3], [300, 1500], [20.5, 30.25]], dtype=np.float32)
    clipped = box.clip_original(points)
    np.testing.assert_array_equal(clipped, [[0, 10], [600, 0], [300, 1400], [20.5, 30.25]])
    assert points[0, 0] == -5  # input untouched


def test_normalize_gives_imagenet_standardised_chw_float32():
    image = np.zeros((4, 6, 3), dtype=np.uint8)
    image[..., 0] = 255
    out = normalize(image)
    assert out.shape == (3, 4, 6) and out.dtype == np.float32
    np.testing.assert_allclose(out[:, 0, 0], (np.array([1.0, 0.0, 0.0]) - IMAGENET_MEAN) / IMAGENET_STD, rtol=1e-6)


def test_letterbox_rejects_empty_images():
    with pytest.raises(ValueError, match="non-empty"):
        letterbox(np.zeros((0, 5, 3), dtype=np.uint8), 640)


def test_offset_polygon_shrinks_and_grows_a_rectangle_by_the_distance():
    rect = np.array([[10, 10], [110, 10], [110, 40], [10, 40]], dtype=np.float32)
    (shrunk,) = offset_polygon(rect, -5.0)
    np.testing.assert_allclose(shrunk.min(axis=0), [15, 15], atol=0.1)
    np.testing.assert_allclose(shrunk.max(axis=0), [105, 35], atol=0.1)
    (grown,) = offset_polygon(rect, 5.0)
    np.testing.assert_allclose(grown.min(axis=0), [5, 5], atol=0.1)
    np.testing.assert_allclose(grown.max(axis=0), [115, 45], atol=0.1)
    assert offset_polygon(rect, -20.0) == []
