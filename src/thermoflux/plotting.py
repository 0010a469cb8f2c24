"""Matplotlib figures of thermoflux results.

Physics modules never import matplotlib; figures are drawn here (and in the ``reproduce``
modules) on the non-interactive Agg backend, so they work on machines without a display.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["new_figure", "save_figure", "plot_cop_and_power", "plot_compare_scan", "show_image"]


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float = 6.0, height: float = 4.0) -> tuple[Any, Any]:
    """A figure and axes on the Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt.subplots(nrows, ncols, figsize=(width, height), constrained_layout=True)


def save_figure(fig: Any, path: str | Path, *, dpi: int = 120) -> Path:
    """Write a figure to PNG (creating the folder) and close it."""
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path


def plot_cop_and_power(t_cold: Any, cop: Any, power: Any, cop_bound: Any, *, path: str | Path,
                       title: str = "", physical: Any = None) -> Path:
    """COP of a refrigerator against T_c with its thermodynamic bound, and its cooling power.

    The layout of seed 004, Fig. 2(b): COP and the Carnot COP T_c/(T_h − T_c) against T_c, with
    the cooling power in a second panel. Points where ``physical`` is False (no valid demon
    distribution) are left out.
    """
    t_cold, cop, power, cop_bound = (np.asarray(a, dtype=float) for a in (t_cold, cop, power, cop_bound))
    mask = np.ones_like(t_cold, dtype=bool) if physical is None else np.asarray(physical, dtype=bool)
    fig, (ax_cop, ax_power) = new_figure(1, 2, width=9.0, height=3.8)
    ax_cop.plot(t_cold, cop_bound, "k--", label=r"bound $T_c/(T_h-T_c)$")
    ax_cop.plot(t_cold[mask], cop[mask], "C0-", lw=2, label="COP")
    ax_cop.set_xlabel(r"$k_B T_c$")
    ax_cop.set_ylabel("COP")
    finite = cop_bound[np.isfinite(cop_bound)]
    if finite.size:
        ax_cop.set_ylim(0, min(float(np.max(finite)), 3 * float(np.nanmax(cop[mask])) if mask.any() else 1.0) * 1.05)
    ax_cop.legend(frameon=False)
    ax_power.plot(t_cold[mask], power[mask], "C1-", lw=2)
    ax_power.set_xlabel(r"$k_B T_c$")
    ax_power.set_ylabel(r"cooling power $\dot\varepsilon_h$ (units of $\Gamma/h$)")
    if title:
        fig.suptitle(title)
    return save_figure(fig, path)


_METHOD_STYLE = {"landauer": ("k-", "Landauer (exact)"), "master_equation": ("C0o--", "master equation"),
                 "finite_baths": ("C1s:", "finite baths"), "harmonic_networks": ("C2^--", "harmonic network")}


def plot_compare_scan(ds: Any, *, path: str | Path, reservoir: str | None = None, title: str = "") -> Path:
    """Flows of every method against the coupling scale, and their gap to the exact method.

    ``ds`` is a :func:`thermoflux.compare.scan` Dataset (dims coupling_scale, method, reservoir).
    Left: the particle current out of ``reservoir`` (default the first) against the scale factor
    of every Γ_α, log axes, one line per method, open markers where a method is not expected to
    hold. Right: the relative difference of that current from the reference (where there is
    one), showing where the master equation departs (∝ Γ/T) and where finite baths converge.
    """
    reservoir = str(ds.reservoir.values[0]) if reservoir is None else reservoir
    scale = np.asarray(ds.coupling_scale.values, dtype=float)
    reference = ds.attrs.get("reference")
    reference = reference if reference in list(ds.method.values) else None
    fig, (ax_flow, ax_gap) = new_figure(1, 2, width=10.0, height=4.0)
    for m in ds.method.values:
        style, label = _METHOD_STYLE.get(str(m), ("C3x-", str(m)))
        current = np.asarray(ds.particle_current.sel({"method": m, "reservoir": reservoir}), dtype=float)
        holds = np.asarray(ds.expected_to_hold.sel({"method": m}), dtype=bool)
        line, = ax_flow.plot(scale, np.abs(current), style, label=label, markersize=4)
        ax_flow.plot(scale[~holds], np.abs(current[~holds]), "o", mfc="none", mec=line.get_color(), markersize=9)
        if reference is not None and str(m) != reference:
            exact = np.asarray(ds.particle_current.sel({"method": reference, "reservoir": reservoir}), dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                gap = np.abs(current - exact) / np.abs(exact)
            if np.any(np.isfinite(gap) & (gap > 0)):
                ax_gap.plot(scale, gap, style, label=label, markersize=4)
    ax_flow.set_xscale("log")
    ax_flow.set_yscale("log")
    ax_flow.set_xlabel(r"coupling scale $s$ ($\Gamma_\alpha \to s\,\Gamma_\alpha$)")
    ax_flow.set_ylabel(f"|particle current| out of {reservoir}")
    ax_flow.legend(frameon=False, title="open circles: not expected to hold", title_fontsize=8)
    ax_gap.set_xscale("log")
    ax_gap.set_yscale("log")
    ax_gap.set_xlabel(r"coupling scale $s$")
    ax_gap.set_ylabel(f"|relative difference| from {reference or 'no reference'}")
    if ax_gap.lines:
        ax_gap.legend(frameon=False)
    if title:
        fig.suptitle(title)
    return save_figure(fig, path)


def show_image(path: str | Path) -> Any:
    """A figure showing a saved PNG at its own size (100 dpi): for a reproduction's figure in a
    notebook or a gallery page, without drawing it again. Returns the matplotlib Figure."""
    import matplotlib.image as mpimg
    import matplotlib.pyplot as plt

    image = mpimg.imread(str(path))
    fig = plt.figure(figsize=(image.shape[1] / 100, image.shape[0] / 100), dpi=100)
    fig.figimage(image)
    return fig
