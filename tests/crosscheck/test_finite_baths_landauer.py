"""Finite baths vs Landauer: regime-I currents of seed 001's single electron transistor.

In regime I (after the transient, before the Poincaré recurrence at t = 2π/Δε and before the
bath temperatures move) the currents out of finite baths of K modes approach the steady
Landauer currents of the same level. Two Landauer references:

* the exact K → ∞ limit of the model: a flat band on [−W/2, W/2] gives the level the
  self-energy Σ(E) = Λ(E) − iΓ/2 with Λ(E) = (Γ/2π) ln|(E + W/2)/(E − W/2)| (Γ = Γ_L + Γ_R),
  hence T(E) = Γ_L Γ_R / ((E − ε_d − Λ(E))² + Γ²/4) inside the band; the finite-K residual
  shrinks with K;
* ``lorentzian`` (wide band, Λ = 0), the W → ∞ limit. At the paper's W = 10 and Γ = 3 the band
  edges are not far from the level, so the wide-band currents differ from the finite-band ones
  by 4% (particles) and 27% (energy) — a bandwidth effect, not a finite-K one; the Lorentzian
  is approached as W grows.

Currents are J^N_ν = −dN_ν/dt, exact at each time; bound states outside the band make them
oscillate forever, so they are averaged over t ∈ [0.1, 0.6]·2π/Δε.
"""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import FermiDirac
from thermoflux.finite_baths import currents, resonant_level, thermal_state
from thermoflux.landauer import Junction, Transmission, lorentzian

GAMMA = 3.0
RES = {"L": FermiDirac(10.0, 1.0), "R": FermiDirac(2.0, -1.0)}  # seed 001, case (a)


def _finite_band(width: float, gamma_l: float, gamma_r: float, level: float = 0.0) -> Transmission:
    def t(energies):
        e = np.asarray(energies, dtype=float)
        inside = np.abs(e) < width / 2
        with np.errstate(divide="ignore"):
            shift = (gamma_l + gamma_r) / (2 * np.pi) * np.log(np.abs((e + width / 2) / (e - width / 2)))
        return np.where(inside, gamma_l * gamma_r / ((e - level - shift) ** 2 + 0.25 * (gamma_l + gamma_r) ** 2), 0.0)

    return Transmission(t, breakpoints=[-width / 2, width / 2], centres=[level], scales=[(gamma_l + gamma_r) / 2],
                        support=(-width / 2, width / 2), description="level in a flat finite band")


def _regime_one_currents(k: int, width: float, n_times: int = 150) -> tuple[float, float]:
    m = resonant_level(k, width, GAMMA)
    recurrence = 2 * np.pi / (width / (k - 1))
    ds = currents(m, thermal_state(m, RES), np.linspace(0.1 * recurrence, 0.6 * recurrence, n_times))
    return float(ds.particle_current.sel(bath="L").mean()), float(ds.energy_current.sel(bath="L").mean())


def _landauer(transmission, width: float | None = None) -> tuple[float, float]:
    # The band edges are jumps of T(E), with a logarithmic level shift next to them.
    extra = {} if width is None else {"breakpoints": [-width / 2, width / 2],
                                      "features": [(-width / 2, 0.1), (width / 2, 0.1)]}
    flows = Junction(RES, transmission, **extra).flows()
    return flows.particle["L"], flows.energy["L"]


def test_regime_one_currents_approach_finite_band_landauer():
    jn_ref, je_ref = _landauer({("L", "R"): _finite_band(10.0, GAMMA, GAMMA)}, 10.0)
    residuals = {}
    for k in (50, 200):
        jn, je = _regime_one_currents(k, 10.0)
        residuals[k] = (abs(jn / jn_ref - 1), abs(je / je_ref - 1))
        # K >= 50 (Δε <= 0.2 < Γ): within 1% already (time-averaged; the quadrature is ~1e-8)
        assert residuals[k][0] < 0.01 and residuals[k][1] < 0.01
    assert residuals[200][0] < residuals[50][0]  # the finite-K residual shrinks with K


@pytest.mark.slow
def test_regime_one_currents_at_paper_size():
    """K = 1000 (the paper's size): within 0.1% of the finite-band Landauer currents."""
    jn_ref, je_ref = _landauer({("L", "R"): _finite_band(10.0, GAMMA, GAMMA)}, 10.0)
    jn, je = _regime_one_currents(1000, 10.0, n_times=100)
    assert abs(jn / jn_ref - 1) < 1e-3 and abs(je / je_ref - 1) < 1e-3


def test_lorentzian_is_the_wide_band_limit():
    jn_lor, je_lor = _landauer(lorentzian(0.0, {"L": GAMMA, "R": GAMMA}))
    gaps = []
    for width in (10.0, 100.0, 1000.0):
        jn, je = _landauer({("L", "R"): _finite_band(width, GAMMA, GAMMA)}, width)
        gaps.append((abs(jn / jn_lor - 1), abs(je / je_lor - 1)))
    assert gaps[0][0] > 0.02 and gaps[0][1] > 0.2      # W = 10: a real bandwidth effect
    assert gaps[2][0] < 2e-3 and gaps[2][1] < 2e-2     # W = 1000: Λ(E) ~ ΓE/(πW/2) is small
    assert gaps[2][0] < gaps[1][0] < gaps[0][0]


def test_finite_baths_within_two_percent_of_lorentzian_when_band_is_wide():
    """Particle current of finite baths (W = 40, K = 200) within 2% of the Lorentzian level."""
    jn_lor, _ = _landauer(lorentzian(0.0, {"L": GAMMA, "R": GAMMA}))
    jn, _ = _regime_one_currents(200, 40.0)
    assert abs(jn / jn_lor - 1) < 0.02  # bandwidth correction at W = 40 is ~1.1%
