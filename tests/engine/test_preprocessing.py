"""Specification of the preprocessing stages, their parameters, the pipeline and the Hydra profiles.

Synthetic images only: a white "receipt" with black character blocks and a red stamp, optionally rotated onto a dark,
textured, brownish table, so the expected corners, angles and colours are known exactly.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
import yaml

from ocr.preprocessing import (
    STAGES,
    BinarizeParams,
    ContrastParams,
    DenoiseParams,
    DeskewParams,
    DocumentCropParams,
    PerspectiveParams,
    PipelineStep,
    ResizeParams,
    SharpenParams,
    background_normalize,
    binarize,
    contrast,
    denoise,
    describe_stage,
    deskew,
    document_crop,
    estimate_skew,
    find_document_quad,
    make_params,
    map_points,
    perspective_correction,
    pipeline_from_config,
    resize,
    rotate_expanded,
    run_pipeline,
    run_stage,
    sharpen,
)
from ocr.preprocessing.illumination import BackgroundParams

PROFILES = Path(__file__).resolve().parents[2] / "configs" / "preprocessing"
PAGE_W, PAGE_H = 300, 420
STAMP = (PAGE_W - 70, PAGE_H - 60)  # centre (x, y) of the red stamp on the page
INK, PAPER = (20, 20, 20), (250, 250, 250)


def _word(img: np.ndarray, x: int, y: int, letters: int, rng: np.random.Generator, ascenders: bool) -> int:
    for _ in range(letters):
        cv2.rectangle(img, (x, y), (x + 5, y + 9), INK, -1)
        if ascenders and rng.random() < 0.4:
            cv2.rectangle(img, (x, y - 5), (x + 1, y), INK, -1)
        x += 8
    return x


def make_page(seed: int = 0, ascenders: bool = False) -> np.ndarray:
    """Upright receipt: left-aligned lines of 'words', right-aligned 'prices', a red stamp."""
    rng = np.random.default_rng(seed)
    img = np.full((PAGE_H, PAGE_W, 3), PAPER, np.uint8)
    for y in range(30, PAGE_H - 40, 22):
        x, end = 20, int(rng.integers(PAGE_W // 3, PAGE_W - 90))
        while x < end:
            x = _word(img, x, y, int(rng.integers(2, 7)), rng, ascenders) + 6
        _word(img, PAGE_W - 60, y, 4, rng, ascenders)
    cv2.circle(img, STAMP, 25, (200, 30, 30), -1)
    return img


def make_scene(angle: float = 10.0, size: tuple[int, int] = (600, 800), seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The page turned ``angle`` degrees counter-clockwise on a dark textured table; returns image and TL,TR,BR,BL."""
    rng = np.random.default_rng(seed)
    width, height = size
    texture = cv2.resize(rng.normal(0, 25, (height // 4, width // 4, 3)), (width, height))
    table = np.clip(np.array([90, 60, 40]) + texture, 0, 255).astype(np.uint8)
    page = make_page()
    src = np.float32([[0, 0], [PAGE_W - 1, 0], [PAGE_W - 1, PAGE_H - 1], [0, PAGE_H - 1]])
    t = np.deg2rad(angle)
    rotation = np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]])
    corners = ((src - [PAGE_W / 2, PAGE_H / 2]) @ rotation.T + [width / 2 + 10, height / 2 - 5]).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(src, corners)
    warped = cv2.warpPerspective(page, matrix, (width, height))
    inside = cv2.warpPerspective(np.full((PAGE_H, PAGE_W), 255, np.uint8), matrix, (width, height)) > 127
    return np.where(inside[..., None], warped, table), corners


def _is_colour(image: np.ndarray) -> bool:
    return (
        image.ndim == 3
        and image.shape[2] == 3
        and not (np.array_equal(image[..., 0], image[..., 1]) and np.array_equal(image[..., 1], image[..., 2]))
    )


# --- document_crop / perspective_correction ------------------------------------------------------------------------


@pytest.mark.parametrize("angle", [0.0, 10.0, -25.0])
def test_document_crop_finds_the_receipt_corners_within_a_few_pixels(angle: float) -> None:
    scene, corners = make_scene(angle)
    out = document_crop(scene, DocumentCropParams())
    assert out.info["fallback"] is False
    assert out.info["method"] in ("edges", "threshold")
    assert np.abs(np.array(out.info["quad"]) - corners).max() < 3.0
    assert abs(out.image.shape[1] - PAGE_W) <= 3 and abs(out.image.shape[0] - PAGE_H) <= 3


def test_warped_document_is_the_upright_page_and_its_transform_maps_the_quad_to_the_output_corners() -> None:
    scene, _ = make_scene(12.0)
    out = document_crop(scene, DocumentCropParams())
    height, width = out.image.shape[:2]
    mapped = map_points(np.array(out.info["quad"]), out.transform)  # info rounds the quad to 0.01 px
    assert np.allclose(mapped, [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], atol=0.05)
    page = cv2.resize(make_page(), (width, height))
    assert np.mean(np.abs(out.image.astype(int) - page.astype(int))) < 12  # same content, only resampled
    assert estimate_skew(out.image).angle == pytest.approx(0.0, abs=0.5)


def test_bounding_box_mode_crops_without_resampling_and_keeps_the_margin() -> None:
    scene, corners = make_scene(0.0)
    out = document_crop(scene, DocumentCropParams(mode="bounding_box", margin=5))
    x0, y0 = int(np.floor(corners[:, 0].min())) - 5, int(np.floor(corners[:, 1].min())) - 5
    assert abs(out.transform[0, 2] + x0) <= 3 and abs(out.transform[1, 2] + y0) <= 3
    ox, oy = int(-out.transform[0, 2]), int(-out.transform[1, 2])
    assert np.array_equal(out.image, scene[oy : oy + out.image.shape[0], ox : ox + out.image.shape[1]])


def test_image_without_a_document_comes_back_whole_and_says_so() -> None:
    rng = np.random.default_rng(3)
    table = rng.integers(60, 90, (200, 300, 3), dtype=np.uint8)
    out = document_crop(table, DocumentCropParams())
    assert out.info["method"] == "full_image" and out.info["fallback"] is True
    assert np.array_equal(out.image, table) and out.image is not table
    assert out.transform is None


def test_perspective_correction_reuses_the_document_detector() -> None:
    scene, _ = make_scene(-8.0)
    corrected = perspective_correction(scene, PerspectiveParams())
    quad = find_document_quad(scene, PerspectiveParams())
    assert corrected.info["source"] == "detected"
    assert np.allclose(corrected.info["quad"], np.round(quad.points, 2))
    assert np.array_equal(corrected.image, document_crop(scene, DocumentCropParams()).image)


def test_perspective_correction_warps_given_corners_expressed_as_fractions() -> None:
    scene, corners = make_scene(6.0)
    height, width = scene.shape[:2]
    fractions = (corners / [width - 1, height - 1]).ravel().tolist()
    out = perspective_correction(scene, PerspectiveParams(corners=fractions))
    assert out.info["source"] == "corners" and out.info["method"] == "corners"
    assert abs(out.image.shape[1] - PAGE_W) <= 2 and abs(out.image.shape[0] - PAGE_H) <= 2


def test_perspective_corners_must_be_eight_fractions_forming_a_convex_quad() -> None:
    with pytest.raises(ValueError, match=r"perspective_correction\.corners needs 8 numbers"):
        PerspectiveParams(corners=(0.1, 0.1, 0.9, 0.1))
    with pytest.raises(ValueError, match=r"perspective_correction\.corners every value must be between 0.0 and 1.0"):
        PerspectiveParams(corners=(0, 0, 1.5, 0, 1, 1, 0, 1))
    with pytest.raises(ValueError, match="convex quadrilateral"):
        PerspectiveParams(corners=(0, 0, 1, 1, 1, 0, 0, 1))  # TL, BR, TR, BL: crossed


# --- deskew --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rotation", [7.0, -12.0, 3.5])
def test_deskew_recovers_a_known_rotation_within_one_degree(rotation: float) -> None:
    rotated, _ = rotate_expanded(make_page(), rotation)
    out = deskew(rotated, DeskewParams())
    assert out.info["angle"] == pytest.approx(-rotation, abs=1.0)
    assert out.info["orientation"] == 0
    assert abs(estimate_skew(out.image).angle) < 0.5


def test_deskew_expands_the_canvas_with_a_white_border_and_reports_the_transform() -> None:
    page = make_page()
    rotated, _ = rotate_expanded(page, 10.0)
    out = deskew(rotated, DeskewParams())
    assert out.image.shape[0] > PAGE_H and out.image.shape[1] > PAGE_W
    assert out.image[0, 0].tolist() == [255, 255, 255]
    stamp_in_rotated = map_points(np.array([STAMP], dtype=np.float32), rotate_expanded(page, 10.0)[1])
    sx, sy = np.round(map_points(stamp_in_rotated, out.transform)[0]).astype(int)
    assert out.image[sy, sx, 0] > 150 > out.image[sy, sx, 2]  # the stamp is where the transform says


def test_skew_below_min_angle_is_left_alone() -> None:
    page = make_page()
    out = deskew(page, DeskewParams(min_angle=0.5))
    assert out.info["angle"] == 0.0 and out.transform is None
    assert np.array_equal(out.image, page) and out.image is not page


def test_blank_page_is_not_rotated() -> None:
    blank = np.full((200, 150, 3), 250, np.uint8)
    out = deskew(blank, DeskewParams(fix_orientation=True))
    assert out.info["measured"] is False and out.info["angle"] == 0.0 and out.info["orientation"] == 0


def test_sideways_page_is_turned_so_text_lines_run_horizontally() -> None:
    page = make_page()
    turned_clockwise = np.ascontiguousarray(np.rot90(page, -1))
    out = deskew(turned_clockwise, DeskewParams(fix_orientation=True))
    assert out.info["orientation"] == 90 and out.info["direction_score"] < 0
    assert np.array_equal(out.image, page)
    assert deskew(page, DeskewParams(fix_orientation=True)).info["orientation"] == 0


@pytest.mark.parametrize("quarter_turns", [1, 2, 3])
def test_upside_down_and_sideways_mixed_case_pages_are_turned_upright(quarter_turns: int) -> None:
    page = make_page(ascenders=True)
    out = deskew(
        np.ascontiguousarray(np.rot90(page, quarter_turns)), DeskewParams(fix_orientation=True, detect_upside_down=True)
    )
    assert out.info["orientation"] == (360 - 90 * quarter_turns) % 360
    assert np.array_equal(out.image, page)


def test_upside_down_check_is_opt_in() -> None:
    upside_down = np.ascontiguousarray(np.rot90(make_page(ascenders=True), 2))
    assert deskew(upside_down, DeskewParams(fix_orientation=True)).info["orientation"] == 0


# --- photometric stages --------------------------------------------------------------------------------------------


def _shadowed_page() -> np.ndarray:
    page = make_page().astype(np.float32)
    shade = np.linspace(0.45, 1.0, PAGE_W, dtype=np.float32)[None, :, None]  # dark on the left, like a hand's shadow
    return np.clip(page * shade, 0, 255).astype(np.uint8)


def test_background_normalize_removes_a_shadow_and_keeps_ink_and_colour() -> None:
    shadowed = _shadowed_page()
    out = background_normalize(shadowed, BackgroundParams()).image
    paper = make_page() == np.array(PAPER, np.uint8)
    paper = paper.all(axis=2)
    paper[:, :10] = paper[:, -10:] = False
    assert out[paper].mean(axis=1).std() < shadowed[paper].mean(axis=1).std() / 4
    assert out[paper].mean() > 235
    ink = (make_page() == np.array(INK, np.uint8)).all(axis=2)
    assert out[ink].mean() < 60
    x, y = STAMP
    assert out[y, x, 0] > out[y, x, 1] + 80 and out[y, x, 0] > out[y, x, 2] + 80


@pytest.mark.parametrize("method", ["close", "median"])
def test_background_methods_both_flatten_light(method: str) -> None:
    out = background_normalize(_shadowed_page(), BackgroundParams(method=method, kernel_size=41)).image
    assert out[5:15, 5:15].mean() > 225 and out[5:15, -15:-5].mean() > 225


def test_contrast_clahe_stretches_a_flat_image_and_gamma_brightens_mid_tones() -> None:
    rng = np.random.default_rng(2)
    smooth = cv2.resize(rng.normal(0, 1, (20, 20)), (200, 200), interpolation=cv2.INTER_CUBIC)
    low_contrast = np.clip(125 + 8 * smooth, 0, 255).astype(np.uint8)
    flat = np.dstack([low_contrast, low_contrast - 10, low_contrast - 20])
    stretched = contrast(flat, ContrastParams(clip_limit=2.0)).image
    assert stretched.astype(np.float32).std() > flat.astype(np.float32).std() * 1.5
    assert contrast(flat, ContrastParams(clip_limit=0.0)).image.std() == pytest.approx(flat.std(), rel=0.02)
    grey = np.full((40, 40, 3), 100, np.uint8)
    brighter = contrast(grey, ContrastParams(clip_limit=0.0, gamma=2.0)).image
    darker = contrast(grey, ContrastParams(clip_limit=0.0, gamma=0.5)).image
    assert brighter.mean() > 140 > 60 > darker.mean()
    assert contrast(grey, ContrastParams(clip_limit=0.0, brightness=30)).image.mean() > 120


@pytest.mark.parametrize("method", ["bilateral", "median", "nl_means"])
def test_denoise_brings_a_noisy_page_closer_to_the_clean_one(method: str) -> None:
    clean = make_page()[:200, :200]
    rng = np.random.default_rng(5)
    noisy = np.clip(clean + rng.normal(0, 12, clean.shape), 0, 255).astype(np.uint8)
    specks = rng.random(clean.shape[:2]) < 0.04  # sensor grain plus salt-and-pepper dust
    noisy[specks] = np.where(rng.random((int(specks.sum()), 1)) < 0.5, 0, 255)
    out = denoise(noisy, DenoiseParams(method=method, strength=15, kernel_size=3)).image
    error_before = np.abs(noisy.astype(int) - clean).mean()
    assert np.abs(out.astype(int) - clean).mean() < error_before * 0.8


@pytest.mark.parametrize("method", ["otsu", "adaptive_gaussian", "sauvola"])
def test_binarize_outputs_black_and_white_in_three_equal_channels(method: str) -> None:
    scene, _ = make_scene(5.0)
    out = binarize(scene, BinarizeParams(method=method))
    assert out.image.shape == scene.shape
    assert set(np.unique(out.image).tolist()) == {0, 255}
    assert np.array_equal(out.image[..., 0], out.image[..., 1]) and np.array_equal(out.image[..., 1], out.image[..., 2])
    assert 0.0 < out.info["ink_ratio"] < 1.0


def test_binarized_page_keeps_text_black_and_paper_white() -> None:
    page = make_page()
    out = binarize(page, BinarizeParams(method="sauvola")).image[..., 0]
    ink = (page == np.array(INK, np.uint8)).all(axis=2)
    assert (out[ink] == 0).mean() > 0.95 and (out[~ink] == 255).mean() > 0.9


def test_sharpen_raises_edge_contrast_and_zero_amount_is_identity() -> None:
    soft = cv2.GaussianBlur(make_page(), (0, 0), 1.5)
    sharp = sharpen(soft, SharpenParams(amount=1.5, radius=1.5)).image
    gradient = lambda img: np.abs(np.diff(img.astype(np.float32), axis=1)).mean()  # noqa: E731
    assert gradient(sharp) > gradient(soft) * 1.3
    assert np.array_equal(sharpen(soft, SharpenParams(amount=0.0)).image, soft)


# --- resize --------------------------------------------------------------------------------------------------------


def test_resize_fits_the_longest_side_and_keeps_the_aspect_ratio() -> None:
    image = np.zeros((1300, 1000, 3), np.uint8)
    out = resize(image, ResizeParams(longest_side=640))
    assert out.image.shape == (640, 492, 3)
    assert out.info["from_size"] == [1000, 1300] and out.info["to_size"] == [492, 640]
    assert np.allclose(map_points(np.array([[999.5, 1299.5]]), out.transform), [[491.5, 639.5]], atol=1e-3)


def test_resize_does_not_enlarge_unless_asked_and_scales_by_a_factor() -> None:
    small = np.zeros((100, 80, 3), np.uint8)
    assert resize(small, ResizeParams(longest_side=640)).image.shape == (100, 80, 3)
    assert resize(small, ResizeParams(longest_side=200, allow_upscale=True)).image.shape == (200, 160, 3)
    assert resize(small, ResizeParams(mode="scale", scale=0.5)).image.shape == (50, 40, 3)


def test_huge_photo_is_brought_down_by_resize_before_the_other_stages() -> None:
    huge = np.empty((8000, 6000, 3), np.uint8)
    huge[:] = (200, 180, 160)
    result = run_pipeline(
        huge, pipeline_from_config([{"name": "resize", "params": {"longest_side": 1280}}, {"name": "contrast"}])
    )
    assert result.final.shape == (1280, 960, 3)
    assert result.stages[1].seconds < 2.0


# --- colour --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [name for name in STAGES if name != "binarize"])
def test_every_stage_but_binarize_keeps_a_colour_image_in_colour(name: str) -> None:
    scene, _ = make_scene(8.0)
    out = run_stage(name, scene)
    assert out.image.dtype == np.uint8 and out.image.ndim == 3 and out.image.shape[2] == 3
    assert _is_colour(out.image)


@pytest.mark.parametrize("name", list(STAGES))
def test_stage_info_is_plain_json_for_the_dashboard(name: str) -> None:
    scene, _ = make_scene(8.0, size=(400, 520))
    json.dumps(run_stage(name, scene).info)


@pytest.mark.parametrize("name", ["background_normalize", "contrast", "denoise", "sharpen", "resize"])
def test_photometric_stages_keep_red_red_rgb_not_bgr(name: str) -> None:
    out = run_stage(name, make_page()).image
    x, y = STAMP
    r, g, b = (int(v) for v in out[y, x])
    assert r > g + 80 and r > b + 80


# --- parameters ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: BinarizeParams(block_size=4), "binarize.block_size must be an odd integer between 3 and 255, got 4"),
        (lambda: ContrastParams(clip_limit=20), "contrast.clip_limit must be between 0.0 and 10.0, got 20.0"),
        (lambda: ContrastParams(tile_grid=2.5), "contrast.tile_grid must be an integer, got 2.5"),
        (
            lambda: DenoiseParams(method="fancy"),
            "denoise.method must be one of 'bilateral', 'median', 'nl_means', got 'fancy'",
        ),
        (lambda: DeskewParams(fix_orientation=1), "deskew.fix_orientation must be true or false, got 1"),
        (lambda: SharpenParams(amount="a lot"), "sharpen.amount must be a number, got 'a lot'"),
        (lambda: DocumentCropParams(canny_low=200), "document_crop.canny_low must be below canny_high (150), got 200"),
    ],
)
def test_out_of_range_parameters_are_rejected_with_a_readable_message(build, message: str) -> None:
    with pytest.raises(ValueError) as error:
        build()
    assert str(error.value) == message


def test_parameters_are_frozen_and_normalised_from_yaml_and_slider_values() -> None:
    params = make_params("binarize", {"block_size": 15.0, "offset": 3})
    assert params.block_size == 15 and isinstance(params.block_size, int)
    assert params.offset == 3.0 and isinstance(params.offset, float)
    assert make_params("binarize", {"block_size": np.int64(9)}).block_size == 9  # numpy values from a UI
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.block_size = 17  # type: ignore[misc]


def test_unknown_parameter_is_rejected_listing_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match=r"contrast: unknown parameter\(s\) clip; allowed: clip_limit, tile_grid"):
        make_params("contrast", {"clip": 2.0})


def test_every_stage_describes_itself_for_a_generated_form() -> None:
    for name in STAGES:
        described = describe_stage(name)
        assert described["name"] == name and described["label"]
        assert described["description"] and "\n" not in described["description"]
        assert described["params"], name
        for spec in described["params"]:
            assert spec["help"] and spec["type"] in ("bool", "int", "float", "str", "floats")
            if spec["type"] == "str":
                assert spec["default"] in spec["choices"]
            if spec["type"] in ("int", "float"):
                assert spec["min"] <= spec["default"] <= spec["max"]
                assert spec["step"] is not None
        assert make_params(name).to_dict() == {spec["name"]: spec["default"] for spec in described["params"]}
    assert describe_stage("binarize")["params"][1] == {
        "name": "block_size",
        "type": "int",
        "default": 31,
        "min": 3,
        "max": 255,
        "step": 2,
        "choices": None,
        "odd": True,
        "help": "Local window in pixels (adaptive, sauvola)",
    }


# --- pipeline ------------------------------------------------------------------------------------------------------


def test_pipeline_returns_every_intermediate_with_timings_and_skips_disabled_steps() -> None:
    scene, _ = make_scene(9.0)
    steps = [
        PipelineStep("document_crop", True, {"margin": 4}),
        PipelineStep("denoise", False, {"method": "nl_means"}),
        PipelineStep("deskew"),
        PipelineStep("contrast", True, {"clip_limit": 3}),
        PipelineStep("resize", True, {"longest_side": 256}),
    ]
    result = run_pipeline(scene, steps)
    assert [stage.name for stage in result.stages] == ["original", "document_crop", "deskew", "contrast", "resize"]
    assert result.skipped == ["denoise"]
    assert np.array_equal(result.stages[0].image, scene) and result.stages[0].seconds == 0.0
    assert all(stage.seconds > 0 for stage in result.stages[1:])
    assert result.total_seconds == pytest.approx(sum(stage.seconds for stage in result.stages))
    assert result.final is result.stages[-1].image and max(result.final.shape[:2]) == 256
    assert result.stages[1].params["margin"] == 4 and result.stages[3].params["clip_limit"] == 3.0
    assert result.stages[1].info["quad"]


def test_pipeline_transform_carries_points_between_original_and_final_pixels() -> None:
    scene, corners = make_scene(9.0)
    result = run_pipeline(
        scene, pipeline_from_config([{"name": "document_crop"}, {"name": "resize", "params": {"longest_side": 210}}])
    )
    height, width = result.final.shape[:2]
    mapped = result.to_processed(corners)
    assert np.abs(mapped - [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]]).max() < 2.0
    assert np.allclose(result.to_original(mapped), corners, atol=1e-2)


def test_pipeline_is_deterministic() -> None:
    scene, _ = make_scene(4.0)
    steps = pipeline_from_config(yaml.safe_load((PROFILES / "photo_document.yaml").read_text())["steps"])
    first, second = run_pipeline(scene, steps), run_pipeline(scene, steps)
    assert np.array_equal(first.final, second.final)
    assert [s.info for s in first.stages] == [s.info for s in second.stages]


def test_unknown_stage_is_rejected_listing_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown preprocessing stage 'blur'; allowed: document_crop, perspective"):
        run_pipeline(make_page(), [PipelineStep("blur")])


def test_bad_parameters_fail_before_any_stage_runs() -> None:
    steps = [PipelineStep("resize"), PipelineStep("binarize", False, {"block_size": 8})]
    with pytest.raises(ValueError, match=r"step 'binarize': binarize.block_size must be an odd integer"):
        run_pipeline(make_page(), steps)


def test_malformed_profile_entries_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"unknown key\(s\) enable; allowed: name, enabled, params"):
        pipeline_from_config([{"name": "contrast", "enable": True}])
    with pytest.raises(ValueError, match="enabled must be true or false"):
        pipeline_from_config([{"name": "contrast", "enabled": "yes"}])
    with pytest.raises(ValueError, match="missing 'name'"):
        pipeline_from_config([{"params": {}}])


def test_pipeline_rejects_non_rgb_input() -> None:
    with pytest.raises(ValueError, match=r"expected an RGB uint8 image of shape \(H, W, 3\)"):
        run_pipeline(np.zeros((10, 10), np.uint8), [])


# --- Hydra profiles ------------------------------------------------------------------------------------------------


EXPECTED_PROFILES = {
    "none": [],
    "scan_cleanup": ["background_normalize", "contrast"],
    "photo_document": ["document_crop", "deskew", "background_normalize", "contrast"],
    "binarized": ["background_normalize", "binarize"],
}


@pytest.mark.parametrize("profile", sorted(EXPECTED_PROFILES))
def test_preprocessing_profiles_load_and_build_a_pipeline(profile: str) -> None:
    path = PROFILES / f"{profile}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# @package preprocessing"
    config = yaml.safe_load(text)
    assert set(config) == {"name", "description", "steps"} and config["name"] == profile and config["description"]
    steps = pipeline_from_config(config["steps"])
    assert [step.name for step in steps] == EXPECTED_PROFILES[profile]
    assert pipeline_from_config(config) == steps  # the whole profile mapping works too
    scene, _ = make_scene(6.0, size=(400, 520))
    result = run_pipeline(scene, steps)
    assert len(result.stages) == len(steps) + 1 and result.final.shape[2] == 3
