"""Initial states: product states diagonal in the site basis (seed 001, eqs. 2, 3, 20; Sec. IV C).

Every initial state here is Gaussian with a diagonal correlation matrix 𝒞(0) = diag(n_i)
(eq. 20): the system in a diagonal state, each bath mode either thermal (the grand-canonical
ensemble of eq. 3, n = f(β(ε − μ))) or sharply occupied (a sampled pure state of Sec. IV C).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from thermoflux._validation import as_real_array, check_occupations, describe
from thermoflux.distributions import FermiDirac
from thermoflux.errors import InputError
from thermoflux.finite_baths.model import QuadraticModel

__all__ = ["InitialState", "thermal_state", "sampled_pure_state", "diagonal_state"]


@dataclass(frozen=True, eq=False)
class InitialState:
    """A diagonal Gaussian initial state 𝒞(0) = diag(occupations) of a :class:`QuadraticModel`.

    Attributes
    ----------
    occupations : ndarray, shape (N,)
        Site occupations n_i = ⟨c†_i c_i⟩ in the model's site order, each in [0, 1].
    kind : {"thermal", "pure", "diagonal"}
        How the state was made.
    reservoirs : mapping bath -> FermiDirac or None
        The grand-canonical ensembles the baths were drawn from (thermal and pure states).
    log_odds : ndarray, shape (N,) or None
        ln((1 − n_i)/n_i) of the bath modes computed from the exponent β(ε − μ) for thermal
        baths (NaN for system sites), so that the local athermality at t = 0 is exactly zero.
    """

    occupations: np.ndarray
    kind: str
    reservoirs: Mapping[str, Any]
    log_odds: np.ndarray | None = None


def _system_occupation(model: QuadraticModel, value: Any) -> np.ndarray:
    arr = np.atleast_1d(as_real_array(value, "system_occupation"))
    if arr.shape != (model.n_system,):
        raise InputError(f"system_occupation must be a number or {model.n_system} numbers "
                         f"(one per system level); got {describe(value)}")
    return check_occupations(arr, "system_occupation", "fermion")


def _check_reservoirs(model: QuadraticModel, reservoirs: Any) -> dict[str, FermiDirac]:
    if not isinstance(reservoirs, Mapping) or set(reservoirs) != set(model.bath_names):
        raise InputError(f"reservoirs must map each bath {list(model.bath_names)} to a FermiDirac "
                         f"distribution; got {describe(reservoirs)}")
    out = {}
    for name in model.bath_names:
        dist = reservoirs[name]
        if not isinstance(dist, FermiDirac) or np.ndim(dist.beta) or np.ndim(dist.mu):
            raise InputError(f"reservoirs[{name!r}] must be a FermiDirac with scalar beta and mu; "
                             f"got {describe(dist)}")
        out[name] = dist
    return out


def thermal_state(model: QuadraticModel, reservoirs: Mapping[str, FermiDirac],
                  system_occupation: Any = 0.0) -> InitialState:
    """ρ(0) = ρ_S(0) ⊗ Π_ν π_ν(β_ν, μ_ν) with 𝒞(0) = diag[n_d, f(β_L(ε_Lk − μ_L)), ...].

    Parameters
    ----------
    model : QuadraticModel
    reservoirs : mapping bath -> FermiDirac
        Initial grand-canonical ensemble of each bath (eq. 3).
    system_occupation : float or array_like, default 0.0
        Occupation of each system level (the paper's n_d = 0).

    Returns
    -------
    InitialState

    Notes
    -----
    Seed 001, eqs. 2, 3 and 20.
    """
    reservoirs = _check_reservoirs(model, reservoirs)
    occ = [_system_occupation(model, system_occupation)]
    x = [np.full(model.n_system, np.nan)]
    for name in model.bath_names:
        eps = model.bath_energies[name]
        occ.append(reservoirs[name].occupation(eps))
        x.append(reservoirs[name].log_odds(eps))
    return InitialState(np.concatenate(occ), "thermal", reservoirs, np.concatenate(x))


def sampled_pure_state(model: QuadraticModel, reservoirs: Mapping[str, FermiDirac],
                       rng: np.random.Generator, system_occupation: Any = 0.0) -> InitialState:
    """A pure product state sampled from the grand-canonical ensembles (seed 001, Sec. IV C).

    For each bath mode draw r uniform in [0, 1) and occupy the mode (n = 1) if r < f(β(ε − μ)),
    else leave it empty (n = 0). The bath state is an eigenstate of H_B with definite particle
    number, and averaging over draws gives the thermal state of :func:`thermal_state`.

    Parameters
    ----------
    model : QuadraticModel
    reservoirs : mapping bath -> FermiDirac
    rng : numpy.random.Generator
        Source of the draws (the state is reproducible from the generator's seed).
    system_occupation : float or array_like, default 0.0
        System level occupations; 0 or 1 makes the whole state pure.

    Returns
    -------
    InitialState
        ``kind="pure"``; ``log_odds`` is None (the occupations are exactly 0 and 1).
    """
    if not isinstance(rng, np.random.Generator):
        raise InputError(f"rng must be a numpy.random.Generator; got {describe(rng)}")
    reservoirs = _check_reservoirs(model, reservoirs)
    occ = [_system_occupation(model, system_occupation)]
    for name in model.bath_names:
        f = reservoirs[name].occupation(model.bath_energies[name])
        occ.append((rng.random(f.size) < f).astype(float))
    return InitialState(np.concatenate(occ), "pure", reservoirs, None)


def diagonal_state(model: QuadraticModel, occupations: Any) -> InitialState:
    """Any diagonal initial state 𝒞(0) = diag(occupations), site order of ``model``.

    Parameters
    ----------
    model : QuadraticModel
    occupations : array_like, shape (N,)
        Site occupations in [0, 1].
    """
    occ = np.asarray(occupations, dtype=float)
    if occ.shape != (model.size,):
        raise InputError(f"occupations must have one value per site ({model.size}); got shape {occ.shape}")
    occ = check_occupations(occ, "occupations", "fermion")
    return InitialState(occ.copy(), "diagonal", {name: None for name in model.bath_names}, None)
