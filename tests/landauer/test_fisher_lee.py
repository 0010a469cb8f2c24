"""The Fisher–Lee scattering matrix: unitarity, Caroli transmissions, FCS and Büttiker noise."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate
from scipy.special import expit

from thermoflux import BoseEinstein, FermiDirac, InputError
from thermoflux.landauer import (
    Junction,
    constant,
    cumulant_generating_function,
    from_hamiltonian,
    lorentzian,
    scattering_matrix_from_hamiltonian,
)

from .test_current_noise import buttiker_density, scattering_matrix

# Three sites with complex hoppings (broken time reversal, so a wrongly conjugated W shows) and
# three leads: a on site 0 (a vector), b a rank-1 complex Γ, c a rank-2 Γ = W_c W_c†.
HAMILTONIAN = np.array([[0.1, 0.25 + 0.1j, 0.05j],
                        [0.25 - 0.1j, -0.2, 0.15],
                        [-0.05j, 0.15, 0.3]])
AMPLITUDES = np.array([[0.45, 0.0, 0.2, 0.1j],                     # sites × channels
                       [0.0, 0.3 + 0.2j, -0.2, 0.25],
                       [0.0, 0.1, 0.15j, 0.3]])
CHANNELS = ("a", "b", "c", "c")
LEADS = ("a", "b", "c")
MUS = {"a": 0.4, "b": -0.1, "c": 0.05}
TEMPERATURES = {"a": 0.2, "b": 0.3, "c": 0.5}


def couplings():
    """Γ_α = W_α W_α† from the channel amplitudes (a as its diagonal vector)."""
    out = {}
    for lead in LEADS:
        w = AMPLITUDES[:, [i for i, c in enumerate(CHANNELS) if c == lead]]
        out[lead] = w @ w.conj().T
    out["a"] = np.real(np.diag(out["a"]))
    return out


def fermi(energy, lead):
    return expit(-(energy - MUS[lead]) / TEMPERATURES[lead])


def reservoirs(leads=LEADS):
    return {k: FermiDirac(temperature=TEMPERATURES[k], mu=MUS[k]) for k in leads}


ENERGIES = np.concatenate([np.linspace(-3, 3, 601), [-1e4, -50.0, 50.0, 1e4]])


def test_channels_are_the_ranks_of_the_couplings():
    smat = scattering_matrix_from_hamiltonian(HAMILTONIAN, couplings())
    assert smat.reservoirs == LEADS
    assert smat.channels == ("a", "b", "c", "c")        # Γ_b = w w† is rank 1 to rounding
    assert smat(ENERGIES).shape == ENERGIES.shape + (4, 4)
    assert smat(np.zeros((2, 3))).shape == (2, 3, 4, 4)
    assert smat.block("c") == slice(2, 4)


def test_unitarity_to_rounding():
    # S†S = 1 is an identity of S = 1 − iW†GW with G = (E − H + (i/2)WW†)⁻¹: it fails for any
    # other factor than 1/2 in the self-energy, or for W conjugated on the wrong side.
    s = scattering_matrix_from_hamiltonian(HAMILTONIAN, couplings())(ENERGIES)
    sdag = np.conj(np.swapaxes(s, -1, -2))
    # Measured max deviation 1.1e-15 (rounding of a 3×3 solve); 1e-14 is ~10× that.
    np.testing.assert_allclose(sdag @ s, np.broadcast_to(np.eye(4), s.shape), rtol=0, atol=1e-14)
    np.testing.assert_allclose(s @ sdag, np.broadcast_to(np.eye(4), s.shape), rtol=0, atol=1e-14)


def test_block_transmissions_are_the_caroli_transmissions():
    # Two routes of the same physics: Tr[s_ab† s_ab] (Fisher–Lee) against Tr[Γ_a G Γ_b G†]
    # (Caroli, from_hamiltonian), every ordered pair (complex H: T_{a←b} ≠ T_{b←a}).
    # Transmissions are O(0.1-1), so absolute: measured difference 7.8e-16, tolerance ~10×.
    smat = scattering_matrix_from_hamiltonian(HAMILTONIAN, couplings())
    s = smat(ENERGIES)
    caroli = from_hamiltonian(HAMILTONIAN, couplings())
    for (a, b), t in caroli.items():
        block = s[..., smat.block(a), smat.block(b)]
        fisher_lee = np.sum(np.abs(block) ** 2, axis=(-2, -1))
        assert np.max(t(ENERGIES)) > 0.1
        np.testing.assert_allclose(fisher_lee, t(ENERGIES), rtol=0, atol=1e-14)
    # The rows of lead c's two channels are unit vectors: Σ_k Tr[s_ck s_ck†] = N_c = 2 (R_c + Σ T).
    total = sum(np.sum(np.abs(s[..., smat.block("c"), smat.block(k)]) ** 2, axis=(-2, -1)) for k in LEADS)
    np.testing.assert_allclose(total, 2.0, rtol=0, atol=1e-14)      # measured 8.9e-16


def test_scattering_matrix_by_hand_up_to_channel_rotation():
    # The hand-built S (test_current_noise.scattering_matrix, channels = the columns of W) and
    # Fisher–Lee's (channels = eigenvectors of Γ_α) differ by a unitary within each lead, so the
    # lead-block transmissions agree. Measured 8.9e-16 for entries O(0.1-1).
    smat = scattering_matrix_from_hamiltonian(HAMILTONIAN, couplings())
    mine, hand = smat(ENERGIES), scattering_matrix(ENERGIES, HAMILTONIAN, AMPLITUDES)
    for a in LEADS:
        for b in LEADS:
            rows = [i for i, c in enumerate(CHANNELS) if c == a]
            cols = [i for i, c in enumerate(CHANNELS) if c == b]
            t_hand = np.sum(np.abs(hand[:, rows][:, :, cols]) ** 2, axis=(-2, -1))
            t_mine = np.sum(np.abs(mine[..., smat.block(a), smat.block(b)]) ** 2, axis=(-2, -1))
            np.testing.assert_allclose(t_mine, t_hand, rtol=0, atol=1e-14)


def test_dark_state_at_a_quadrature_node():
    # Two degenerate levels at 0.2 on one lead channel: (1, −1)/√2 is dark, and E − H_eff is
    # singular at E = 0.2. S stays unitary there, and equals the one-level S of width 2γ.
    h = np.diag([0.2, 0.2])
    gam = {"L": np.full((2, 2), 0.05), "R": np.full((2, 2), 0.03)}
    smat = scattering_matrix_from_hamiltonian(h, gam)
    e = np.array([0.2, 0.1, 0.35])
    s = smat(e)
    assert smat.channels == ("L", "R")
    # The bright state (1, 1)/√2 has widths Γ_L = 0.1, Γ_R = 0.06: S = 1 − i√(Γ_αΓ_β)/(E − ε + iΓ/2).
    g = np.array([0.1, 0.06])
    expected = np.eye(2) - 1j * np.outer(np.sqrt(g), np.sqrt(g)) / (e[:, None, None] - 0.2 + 0.5j * g.sum())
    np.testing.assert_allclose(s, expected, rtol=0, atol=2e-15)     # measured 1.8e-16, entries O(1)


@pytest.mark.parametrize("counting", ["particle", "energy"])
@pytest.mark.parametrize("stats", ["fermion", "boson"])
def test_two_terminal_cumulants_from_s_equal_levitov_lesovik(stats, counting):
    # One channel per lead: the junction counts from T(E) alone (Levitov–Lesovik's two-terminal
    # formula); the determinant formula with the Fisher–Lee S(E) must give the same cumulants.
    h = np.array([[0.6, 0.2 - 0.1j], [0.2 + 0.1j, 0.9]])
    gam = {"L": np.array([0.3, 0.0]), "R": np.array([[0.04, 0.06j], [-0.06j, 0.09]])}   # R rank 1
    if stats == "fermion":
        res = {"L": FermiDirac(temperature=0.3, mu=0.8), "R": FermiDirac(temperature=0.15, mu=0.5)}
    else:
        res = {"L": BoseEinstein(temperature=0.6, mu=-0.1), "R": BoseEinstein(temperature=0.3, mu=-0.05)}
    junction = Junction(res, from_hamiltonian(h, gam))
    smat = scattering_matrix_from_hamiltonian(h, gam)
    assert smat.channels == ("L", "R")
    two_terminal = junction.current_cumulants("L", 4, counting=counting)
    from_s = junction.current_cumulants("L", 4, counting=counting, scattering_matrix=smat)
    for n in range(1, 5):
        assert abs(two_terminal[n]) > 1e-6
        # Same nodes, two algebraic routes: measured relative differences <= 3.1e-15.
        assert from_s[n] == pytest.approx(two_terminal[n], rel=3e-14), n


def test_multichannel_two_terminal_is_the_sum_of_independent_channels():
    # Two levels, each between its own channel of L and of R, seen in a rotated basis (a random
    # unitary U mixes sites, so Γ_L, Γ_R are full rank-2 matrices and their eigenvectors mix
    # sites). Physically two independent single-level channels: every cumulant is the sum of two
    # Levitov–Lesovik single-channel results (lorentzian, from T(E) alone).
    levels, width_l, width_r = np.array([0.1, 0.35]), np.array([0.2, 0.3]), np.array([0.25, 0.15])
    rng = np.random.default_rng(7)
    u, _ = np.linalg.qr(rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)))
    h = u @ np.diag(levels) @ u.conj().T
    gam = {"L": u @ np.diag(width_l) @ u.conj().T, "R": u @ np.diag(width_r) @ u.conj().T}
    res = {"L": FermiDirac(temperature=0.1, mu=0.5), "R": FermiDirac(temperature=0.2, mu=-0.1)}
    trans = from_hamiltonian(h, gam)
    assert trans[("L", "R")].scattering_matrix.channels == ("L", "L", "R", "R")
    junction = Junction(res, trans)
    k = junction.current_cumulants("L", 4)
    channels = [Junction(res, lorentzian(levels[i], {"L": width_l[i], "R": width_r[i]})).current_cumulants("L", 4)
                for i in range(2)]
    for n in range(1, 5):
        reference = channels[0][n] + channels[1][n]
        assert abs(reference) > 1e-4
        # Two quadratures on different panels; measured 8.4e-15 relative (κ_4 ~ 3e-3).
        assert k[n] == pytest.approx(reference, rel=1e-13), n
    assert junction.noise()["L", "L"] == pytest.approx(k[2], rel=1e-14)      # measured 1.1e-15
    # The generating function itself, particle and energy fields: χ = χ_1 + χ_2.
    fields = (np.array([-0.7, 0.3, 1.2]), np.array([0.4, -0.2, 0.1]))
    chi = cumulant_generating_function(junction, "L", fields[0], energy_counting_field=fields[1])
    reference = sum(cumulant_generating_function(Junction(res, lorentzian(levels[i], {"L": width_l[i], "R": width_r[i]})),
                                                 "L", fields[0], energy_counting_field=fields[1]) for i in range(2))
    assert np.min(np.abs(reference)) > 1e-3
    np.testing.assert_allclose(chi, reference, rtol=1e-14, atol=0)      # measured 7.8e-16
    # The two-terminal formula from T = τ_1 + τ_2 alone (plain callables carry no S) misses
    # Σ τ_n(1 − τ_n) ≠ T(1 − T): its noise is off by far more than rounding (0.022 vs 0.055).
    plain = Junction(res, {key: (lambda e, t=t: t(e)) for key, t in trans.items()})
    assert abs(plain.current_cumulants("L", 2)[2] - k[2]) > 0.1 * abs(k[2])


def test_three_terminal_multichannel_noise_against_buttiker_formula():
    # Büttiker's block formula by quadrature with S(E) built by hand from the channel amplitudes W
    # (test_current_noise), against junction.noise() of a from_hamiltonian junction that carries
    # its own Fisher–Lee S(E) (lead c has two channels). Normalisation as in test_current_noise.
    junction = Junction(reservoirs(), from_hamiltonian(HAMILTONIAN, couplings()))
    noise = junction.noise().matrix

    def density(energy):
        return buttiker_density(energy, lambda e: scattering_matrix(e, HAMILTONIAN, AMPLITUDES),
                                CHANNELS, fermi)

    # Every f_γ(1 − f_δ) is below e^{-50} outside [min μ − 50 T, max μ + 50 T].
    low = min(MUS.values()) - 50 * max(TEMPERATURES.values())
    high = max(MUS.values()) + 50 * max(TEMPERATURES.values())
    points = sorted(list(MUS.values()) + list(np.linalg.eigvalsh(HAMILTONIAN)))
    edges = [low] + points + [high]
    reference = sum(integrate.quad_vec(density, lo, hi, epsabs=0, epsrel=1e-12)[0]
                    for lo, hi in zip(edges[:-1], edges[1:]))
    # Entries are O(1e-2), none near 0: a relative comparison is meaningful.
    assert np.min(np.abs(reference)) > 1e-4
    # quad_vec asked for 1e-12 relative per piece; measured deviation 1.2e-15 (rounding).
    np.testing.assert_allclose(noise, reference, rtol=2e-14, atol=0)
    # Every diagonal entry is the second cumulant of the determinant formula (another route).
    flows = junction.flows()
    for i, lead in enumerate(LEADS):
        k = junction.current_cumulants(lead, 2)
        # Caroli flows vs the determinant of S; Büttiker vs the determinant: measured <= 1.6e-15.
        assert k[1] == pytest.approx(flows.particle[lead], rel=1e-14)
        assert k[2] == pytest.approx(noise[i, i], rel=1e-14)


def test_a_reservoir_without_a_carried_scattering_matrix_is_refused():
    # Transmissions of two sources (a from_hamiltonian pair and a constant one): no single S(E).
    trans = from_hamiltonian(HAMILTONIAN, {"a": [0.2, 0, 0], "b": [0, 0, 0.3]})
    trans[("a", "c")] = constant(0.1)
    junction = Junction(reservoirs(), trans)
    with pytest.raises(InputError, match="scattering_matrix"):
        junction.noise()
    smat = scattering_matrix_from_hamiltonian(HAMILTONIAN, {"a": [0.2, 0, 0], "b": [0, 0, 0.3]})
    # The S of two leads misses the (a, c) transmission: the consistency check names the pair.
    with pytest.raises(InputError, match="differs from transmission"):
        junction.noise(scattering_matrix=smat)


def test_channels_attribute_naming_an_unknown_reservoir():
    smat = scattering_matrix_from_hamiltonian(0.3, {"L": 0.1, "X": 0.2})
    junction = Junction(reservoirs(("a", "b")), lorentzian(0.3, {"a": 0.1, "b": 0.2}))
    with pytest.raises(InputError, match="channels names 'L'"):
        junction.current_cumulants("a", 2, scattering_matrix=smat)


@pytest.mark.parametrize("couplings_, match", [
    ({"L": [0.1, 0.2]}, "at least two"),
    ({"L": [0.1, 0.2], "R": [0.1]}, r"couplings\['R'\]"),
    ({"L": [0.1, 0.2], "R": [[0.1, 0.0], [0.0, -0.2]]}, "positive semidefinite"),
])
def test_input_errors(couplings_, match):
    with pytest.raises(InputError, match=match):
        scattering_matrix_from_hamiltonian(np.eye(2), couplings_)
    with pytest.raises(InputError, match="hamiltonian"):
        scattering_matrix_from_hamiltonian([[0.0, 1.0], [0.0, 0.0]], {"L": [1, 0], "R": [0, 1]})
