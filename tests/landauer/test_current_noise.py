"""Multi-terminal zero-frequency noise against Büttiker's formula evaluated by quadrature."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate
from scipy.special import expit

from thermoflux import FermiDirac
from thermoflux.landauer import Junction, from_hamiltonian

TWO_PI = 2 * np.pi

# A two-site conductor with three single-channel leads: lead a on site 0, b on site 1, c on both.
# Coupling amplitudes W (sites × leads), so Γ_α = W_α W_α† and, by hand (Mahaux–Weidenmüller),
# S(E) = 1 − i W† G(E) W with G = (E − H + (i/2) W W†)⁻¹, unitary for any E.
HAMILTONIAN = np.array([[0.1, 0.25], [0.25, -0.2]])
AMPLITUDES = np.array([[0.45, 0.0, 0.3], [0.0, 0.5, -0.2]])
LEADS = ("a", "b", "c")
MUS = {"a": 0.4, "b": -0.1, "c": 0.05}
TEMPERATURES = {"a": 0.2, "b": 0.3, "c": 0.5}


def scattering_matrix(energies, hamiltonian=HAMILTONIAN, amplitudes=AMPLITUDES):
    """S(E) = 1 − i W† G W, G = (E − H + (i/2) W W†)⁻¹, for amplitudes W (sites × channels)."""
    e = np.asarray(energies, dtype=float)[..., None, None]
    n, m = amplitudes.shape
    green = np.linalg.inv(e * np.eye(n) - hamiltonian + 0.5j * amplitudes @ amplitudes.conj().T)
    return np.eye(m) - 1j * amplitudes.conj().T @ green @ amplitudes


def fermi(energy, lead):
    return expit(-(energy - MUS[lead]) / TEMPERATURES[lead])


def buttiker_density(energy, smatrix=scattering_matrix, channels=LEADS, occupation=fermi):
    """(1/2π) Re Σ_γδ Tr[A_γδ(a) A_δγ(b)] f_γ(1 − f_δ), all leads (a, b), in Büttiker's block form.

    A_γδ(a) = 1_a δ_aγ δ_aδ − s_aγ† s_aδ, with s_aγ the block of S(E) from the channels of lead γ
    to those of a; ``channels`` names the lead of every row of S (one per lead by default).
    """
    s = smatrix(energy)
    leads = list(dict.fromkeys(channels))
    rows = {k: [i for i, c in enumerate(channels) if c == k] for k in leads}
    f = {k: occupation(energy, k) for k in leads}

    def block(a, g):
        return s[np.ix_(rows[a], rows[g])]

    def a_mat(a, g, d):
        unit = np.eye(len(rows[a])) if a == g == d else 0.0
        return unit - block(a, g).conj().T @ block(a, d)

    n = len(leads)
    out = np.zeros((n, n))
    for i, a in enumerate(leads):
        for j, b in enumerate(leads):
            out[i, j] = sum(np.trace(a_mat(a, g, d) @ a_mat(b, d, g)).real * f[g] * (1 - f[d])
                            for g in leads for d in leads) / TWO_PI
    return out


def test_three_terminal_noise_against_buttiker_formula():
    # Büttiker (PRB 46, 12485) writes S^B_ab = (e²/h) Σ_γδ ∫ A_γδ(a)A_δγ(b) [f_γ(1−f_δ) + f_δ(1−f_γ)]
    # for the noise power 2∫dt⟨{δI_a(t), δI_b(0)}⟩/2; thermoflux's S_ab = ∫dt⟨δI_a(t) δI_b(0)⟩ is
    # half of it. Since A_δγ(a) = conj A_γδ(a), the two occupation terms are complex conjugates:
    # S_ab = S^B_ab/2 = (1/2π) Re Σ_γδ ∫ A_γδ(a)A_δγ(b) f_γ(1 − f_δ) dE (e = ħ = 1, h = 2π).
    res = {k: FermiDirac(temperature=TEMPERATURES[k], mu=MUS[k]) for k in LEADS}
    widths = {k: np.outer(AMPLITUDES[:, i], AMPLITUDES[:, i]) for i, k in enumerate(LEADS)}
    junction = Junction(res, from_hamiltonian(HAMILTONIAN, widths))
    noise = junction.noise(scattering_matrix=scattering_matrix).matrix
    # Every f_γ(1 − f_δ) is below e^{-50} outside the window [min μ − 50 T, max μ + 50 T].
    low, high = min(MUS.values()) - 50 * max(TEMPERATURES.values()), max(MUS.values()) + 50 * max(TEMPERATURES.values())
    points = sorted(list(MUS.values()) + list(np.linalg.eigvalsh(HAMILTONIAN)))
    edges = [low] + points + [high]
    reference = sum(integrate.quad_vec(buttiker_density, lo, hi, epsabs=0, epsrel=1e-12)[0]
                    for lo, hi in zip(edges[:-1], edges[1:]))
    # Entries are O(1e-2), none near 0 (smallest 0.011): relative comparison is meaningful.
    assert np.min(np.abs(reference)) > 1e-4
    # quad_vec asked for 1e-12 relative per piece; measured deviation 2.5e-15 (rounding).
    np.testing.assert_allclose(noise, reference, rtol=2e-14, atol=0)
