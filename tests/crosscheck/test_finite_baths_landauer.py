"""Finite baths vs Landauer: regime-I currents of seed 001's single electron transistor.

In regime I (after the transient, before the Poincaré recurrence at t = 2π/Δε and before the
bath temperatures move) the currents out of finite baths of K modes approach the steady
Landauer currents of the same level. Two Landauer references:

* the exact K → ∞ limit of the model: a flat band gives the level the self-energy
  Σ(E) = Λ(E) − iΓ/2 with Λ(E) = (Γ/2π) ln|(E + W/2)/(E − W/2)| (Γ = Γ_L + Γ_R), hence
  T(E) = Γ_L Γ_R / ((E − ε_d − Λ(E))² + Γ²/4) inside the band;
* ``lorentzian`` (wide band, Λ = 0), the W → ∞ limit. At the paper's W = 10 and Γ = 3 the band
  edges are not far from the level, so the wide-band currents differ from the finite-band ones
  by 4% (particles) and 27% (energy) — a bandwidth effect, not a finite-K one; the Lorentzian
  is approached as W grows.

Why the residual did not shrink with K (issue 14), and what it does instead:

* **Aliasing of a bound-state oscillation.** Λ(E) diverges logarithmically at the band edges,
  so the level always leaves a bound state above and one below the band (at W = 10, Γ = 3:
  E ≈ ±5.05, weight ≈ 5% on the level). Their interference makes the currents oscillate at
  E₊ − E₋ ≈ 10.1 forever, with an amplitude (3% of J^N) that does not depend on K. The old
  test averaged n equally spaced samples of J(t), which keeps that amplitude times the
  Dirichlet kernel of the sampling, a factor set by how close the spacing is to a multiple of
  the period, not by K: at K = 1000 the 100 samples are 5.10 periods apart (3% of the
  amplitude kept; measured residual 1.0e-4 of J^N, against 1.3e-6 for the exact mean), and
  200 samples at K = 400 are 1.015 periods apart (2e-3 between window halves). Here the
  window mean is exact, −[N_ν(t₂) − N_ν(t₁)]/(t₂ − t₁) from the bath contents (two
  snapshots, no sampling); the oscillation then contributes amplitude/(ω (t₂ − t₁)) ∝ 1/K.
* **The band of a discretised bath is K Δε wide, not W.** K modes spaced Δε = W/(K − 1) on
  [−W/2, W/2] are a flat density of states 1/Δε on [−W/2 − Δε/2, W/2 + Δε/2] (midpoint rule):
  against the reference of width W the residual is a band-edge shift ∂J/∂W · Δε ∝ 1/K
  (measured K·|ΔJ^N| = 6.1e-3 at K = 200 and 400, W = 20), and against width W_K = K Δε it
  falls to the quadrature's 1e-8 (W = 20: |ΔJ^N| = 5e-6, 8e-8, 7e-9 at K = 100, 200, 400).
* **The energy current is a cancellation**, J^E_L = −0.053 out of ∫|E| T |f_L − f_R| dE/2π
  = 0.21 (W = 10), so its relative residual is 4× that of the particles at the same absolute
  accuracy; its tolerances are absolute.
* **The coupling energy is not yet stationary in the window.** The finite-bath energy current
  is −dE_ν/dt of the bath alone, E_ν = Σ_k ε_k n_k, while Landauer's J^E_ν (Caroli) is the
  energy through the junction, equal to it only once ⟨H_int,ν⟩ is constant. Over a finite
  window ⟨H_int,ν⟩ still changes (the bound states and the slowly dephasing band-edge terms),
  and −Δ⟨H_int,L⟩/Δt is most of the bath-only residual: at W = 10, K = 200 it is 8.8e-5 for
  −ΔE_L/Δt and 4.3e-6 for −Δ(E_L + ⟨H_int,L⟩)/Δt (1.7e-6 and 4.1e-7 at K = 1000); at W = 20
  against width W, K·ΔJ^E = 3.7e-3, 5.1e-3 (K = 200, 400) for the bath alone but 5.9e-3,
  5.7e-3 with the coupling energy, the same 1/K band-edge law as the particles. Both are
  tested: the bath-only current (what ``simulate`` reports) and the junction current.
"""

from __future__ import annotations

import numpy as np
from thermoflux import FermiDirac
from thermoflux.finite_baths import flows, resonant_level, thermal_state
from thermoflux.finite_baths.dynamics import Propagator
from thermoflux.finite_baths.rates import bath_contents
from thermoflux.landauer import Junction, Transmission, lorentzian

GAMMA = 3.0
RES = {"L": FermiDirac(beta=10.0, mu=1.0), "R": FermiDirac(beta=2.0, mu=-1.0)}  # seed 001, case (a)


def _finite_band(width: float, gamma_l: float, gamma_r: float, level: float = 0.0) -> Transmission:
    def t(energies):
        e = np.asarray(energies, dtype=float)
        inside = np.abs(e) < width / 2
        with np.errstate(divide="ignore"):
            shift = (gamma_l + gamma_r) / (2 * np.pi) * np.log(np.abs((e + width / 2) / (e - width / 2)))
        return np.where(inside, gamma_l * gamma_r / ((e - level - shift) ** 2 + 0.25 * (gamma_l + gamma_r) ** 2), 0.0)

    return Transmission(t, breakpoints=[-width / 2, width / 2], centres=[level], scales=[(gamma_l + gamma_r) / 2],
                        support=(-width / 2, width / 2), description="level in a flat finite band")


def _regime_one_window(k: int, width: float):
    """(model, initial state, window [0.1, 0.6]·2π/Δε) of regime I, before the recurrence."""
    m = resonant_level(k, width, GAMMA)
    recurrence = 2 * np.pi / (width / (k - 1))
    return m, thermal_state(m, RES), (0.1 * recurrence, 0.6 * recurrence)


def _regime_one_currents(k: int, width: float) -> tuple[float, float, float]:
    """Exact means over the regime-I window of J^N_L, of J^E_L = −dE_L/dt (bath energy), both
    from ``finite_baths.flows(window=...)``, and of the junction energy current
    −d(E_L + ⟨H_int,L⟩)/dt: minus the change of each over the window, divided by its length (no
    sampling to alias)."""
    m, state, (t1, t2) = _regime_one_window(k, width)
    mean = flows(m, state, window=(t1, t2))
    prop = Propagator(m, state.occupations)
    d_int = bath_contents(prop, t2)["L"].coupling_energy - bath_contents(prop, t1)["L"].coupling_energy
    return mean.particle["L"], mean.energy["L"], mean.energy["L"] - d_int / (t2 - t1)


def _discrete_band(k: int, width: float) -> float:
    """Width K Δε of the flat band that K modes spaced Δε = W/(K − 1) discretise."""
    return width * k / (k - 1)


def _landauer_flows(transmission, width: float | None = None):
    # The band edges are jumps of T(E), with a logarithmic level shift next to them.
    extra = {} if width is None else {"breakpoints": [-width / 2, width / 2],
                                      "features": [(-width / 2, 0.1), (width / 2, 0.1)]}
    return Junction(RES, transmission, **extra).flows()


def _landauer(transmission, width: float | None = None) -> tuple[float, float]:
    ref = _landauer_flows(transmission, width)
    return ref.particle["L"], ref.energy["L"]


def test_regime_one_currents_match_finite_band_landauer():
    """K = 200, W = 10 (seed 001, case (a)) against the band K Δε wide."""
    k, width = 200, 10.0
    band = _discrete_band(k, width)
    jn_ref, je_ref = _landauer({("L", "R"): _finite_band(band, GAMMA, GAMMA)}, band)
    jn, je_bath, je_junction = _regime_one_currents(k, width)
    # measured |ΔJ^N| / J^N = 4.6e-5 (the bound-state oscillation over the window, ∝ 1/K)
    assert abs(jn / jn_ref - 1) < 3e-4
    # absolute (J^E_L = −0.053 is a cancellation of ±0.21): measured 8.8e-5 for the bath alone,
    # 4.3e-6 once the change of the coupling energy is counted
    assert abs(je_bath - je_ref) < 5e-4
    assert abs(je_junction - je_ref) < 3e-5


def test_regime_one_currents_at_paper_size():
    """K = 1000 (the paper's size): one 2001² eigh and two snapshots, run by default."""
    k, width = 1000, 10.0
    band = _discrete_band(k, width)
    jn_ref, je_ref = _landauer({("L", "R"): _finite_band(band, GAMMA, GAMMA)}, band)
    jn, je_bath, je_junction = _regime_one_currents(k, width)
    assert abs(jn / jn_ref - 1) < 1e-5          # measured 1.3e-6
    assert abs(je_bath - je_ref) < 1e-5         # measured 1.7e-6 (3e-5 of J^E_L = −0.053)
    assert abs(je_junction - je_ref) < 3e-6     # measured 4.1e-7


def test_plateau_flows_are_the_landauer_flows():
    """finite_baths.flows over the regime-I window (K = 1000, W = 10) against Landauer's Flows
    of the initial reservoirs: every current of both baths, entropy flows and σ (seed 001,
    eq. 13 with the initial temperatures is Landauer's entropy production)."""
    k, width = 1000, 10.0
    band = _discrete_band(k, width)
    ref = _landauer_flows({("L", "R"): _finite_band(band, GAMMA, GAMMA)}, band)
    m, state, window = _regime_one_window(k, width)
    mean = flows(m, state, window=window)
    for name in ("L", "R"):
        # measured |ΔJ^N| <= 5.6e-7, |ΔJ^E| <= 2.5e-6, |ΔJ^Q| <= 2.1e-6 (currents O(0.1-0.4);
        # the bath-only energy current, as in the test above)
        assert abs(mean.particle[name] - ref.particle[name]) < 5e-6
        assert abs(mean.energy[name] - ref.energy[name]) < 1e-5
        assert abs(mean.heat[name] - ref.heat[name]) < 1e-5
        # −J^Q/T: measured 2.1e-5 (L, β = 10), 3.9e-6 (R)
        assert abs(mean.entropy[name] - ref.entropy[name]) < 1e-4
    # σ = 4.14: measured |Δσ| = 2.4e-5 (the entropy flow of L); dS_S/dt ~ 1e-8 on the plateau
    assert abs(mean.entropy_production - ref.entropy_production) < 1e-4


def test_finite_k_residual_is_the_band_edge_shift():
    """W = 20 (bound states negligible): against the band of width W the residual is the 1/K
    band-edge shift (K·ΔJ constant, particles and junction energy), and against the
    discretised band K Δε it is gone."""
    width = 20.0
    jn_w, je_w = _landauer({("L", "R"): _finite_band(width, GAMMA, GAMMA)}, width)
    scaled, energy_residual = {}, {}
    for k in (200, 400):
        jn, _, je = _regime_one_currents(k, width)
        scaled[k] = (k * (jn - jn_w), k * (je - je_w))
        band = _discrete_band(k, width)
        jn_k, je_k = _landauer({("L", "R"): _finite_band(band, GAMMA, GAMMA)}, band)
        # measured |ΔJ^N| = 8e-8 (K = 200), 7e-9 (K = 400) against K Δε; 3e-5, 1.5e-5 against W
        assert abs(jn - jn_k) < 1e-6 < abs(jn - jn_w) / 10
        energy_residual[k] = abs(je - je_k)
    # K·ΔJ^N = −6.15e-3, −6.13e-3; K·ΔJ^E (junction) = 5.93e-3, 5.68e-3
    assert abs(scaled[400][0] / scaled[200][0] - 1) < 0.02 and scaled[200][0] < 0
    assert abs(scaled[400][1] / scaled[200][1] - 1) < 0.1 and scaled[200][1] > 0
    # junction energy against K Δε: measured 1.4e-6 (K = 200), 6.9e-8 (K = 400)
    assert energy_residual[200] < 1e-5 and energy_residual[400] < energy_residual[200] / 5


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
    jn, _, _ = _regime_one_currents(200, 40.0)
    assert abs(jn / jn_lor - 1) < 0.02  # bandwidth correction at W = 40 is ~1.1%
