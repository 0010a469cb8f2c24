"""The reproduction gallery shows numbers as numbers and every figure at one size."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux.reproduce import Claim, Report
from thermoflux.reproduce.gallery import FIGURE_WIDTH, GalleryEntry, format_value, write_index


@pytest.mark.parametrize(("value", "text"), [
    (np.float64(0.9999999999999999), "1"),
    ((np.float64(0.9999999999999999), np.float64(1.0000000000000058)), "(1, 1)"),
    ([np.float32(0.25), np.int64(3)], "[0.25, 3]"),
    ({"corrected": np.float64(0.0079010412345), "printed": np.float64(-0.0125908)},
     "{corrected: 0.00790104, printed: -0.0125908}"),
    (np.array([1.0, 2.5e-12]), "[1, 2.5e-12]"),
    ((np.float64(1e-3),), "(0.001,)"),
    (np.float32(1 / 3), "0.333333"),            # not str(): "0.33333334"
    (np.bool_(True), "True"),
    (True, "True"),
    ("<= 1e-9", "<= 1e-9"),
    (float("nan"), "nan"),
    (-np.inf, "-inf"),
    (123456789.0, "1.23457e+08"),
])
def test_format_value(value, text):
    assert format_value(value) == text


def test_format_value_never_leaks_numpy_reprs_and_honours_digits():
    nested = {"a": (np.float64(1 / 3), [np.float64(2 / 3), np.array([np.float64(0.1)])])}
    text = format_value(nested)
    assert "np." not in text and "float64" not in text and "array" not in text
    assert format_value(np.float64(1 / 3), digits=3) == "0.333"


def test_long_arrays_are_summarised():
    text = format_value(np.linspace(0, 1, 1000))
    assert "..." in text and "np." not in text


def test_index_uses_the_formatter_a_common_figure_width_and_links_the_docs(tmp_path):
    fig = tmp_path / "seed000" / "f.png"
    fig.parent.mkdir()
    fig.write_bytes(b"\x89PNG\r\n\x1a\n")
    report = Report("000", "T", figures=[fig, fig],
                    claims=[Claim("c", (np.float64(0.9999999999999999), np.float64(1.0000000000000058)), 1.0, True)])
    index = write_index(tmp_path, [GalleryEntry("000", "T", report, None, 0.1)], docs_url="../index.html")
    html = index.read_text()
    assert "np.float64" not in html and "<td>(1, 1)</td>" in html
    assert f"figure img {{ width: {FIGURE_WIDTH};" in html
    assert '<a href="../index.html">' in html
    without = write_index(tmp_path, [GalleryEntry("000", "T", report, None, 0.1)]).read_text()
    assert "sphinx-build" in without           # says how to build the docs when no URL is given


def test_index_shows_the_audits_of_the_models_used(tmp_path):
    """A reproduction's audits appear under its claims, in the page and in claims.json."""
    import json

    from thermoflux.audit import Finding
    from thermoflux.audit import Report as AuditReport

    finding = Finding("weak-coupling", "warning", 0.3, 0.1, "Γ/k_BT = 0.3: not weak coupling", None, "hot")
    report = Report("999", "A test paper", audits={"the model of Fig. 1": AuditReport([finding], subject="m")})
    index = write_index(tmp_path, [GalleryEntry("999", "A test paper", report, None, 0.1)])
    page = index.read_text(encoding="utf-8")
    assert "Audit of the models used" in page and "the model of Fig. 1" in page and "weak-coupling" in page
    record = json.loads((tmp_path / "claims.json").read_text())[0]
    assert record["audits"]["the model of Fig. 1"]["findings"][0]["check"] == "weak-coupling"


def test_claims_table_formats_numbers_and_marks_failures():
    report = Report("999", "A test paper", claims=[Claim("COP <= Carnot", np.float64(0.25), "<= 1", True),
                                                    Claim("σ >= 0", np.float64(-1e-3), ">= 0", False)])
    assert report.claims_table().splitlines() == [
        "[pass] COP <= Carnot", "       found 0.25; expected <= 1",
        "[FAIL] σ >= 0", "       found -0.001; expected >= 0"]


def test_show_image_draws_a_saved_figure_at_its_own_size(tmp_path):
    import matplotlib.pyplot as plt

    from thermoflux.plotting import new_figure, save_figure, show_image

    fig, _ = new_figure(width=3.0, height=2.0)
    path = save_figure(fig, tmp_path / "f.png")
    shown = show_image(path)
    try:
        width, height = shown.get_size_inches() * shown.dpi
        image = plt.imread(path)
        assert (round(width), round(height)) == (image.shape[1], image.shape[0])
    finally:
        plt.close(shown)


def test_wall_times_read_as_minutes_and_seconds():
    from thermoflux.reproduce.gallery import format_duration

    assert format_duration(4.13) == "4.1 s"
    assert format_duration(59.94) == "59.9 s" and format_duration(59.96) == "1 min 0 s"  # never "60.0 s"
    assert format_duration(552.4) == "9 min 12 s"
    assert format_duration(3725) == "1 h 02 min 05 s"
