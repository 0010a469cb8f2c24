"""Error and warning types shared by every method of thermoflux.

One type per kind of failure (DESIGN.md):

* :class:`InputError` -- bad input, raised at the entry point before heavy work, naming the
  argument, the value received and what was expected.
* :class:`ConvergenceError` -- a solver that failed, saying which method ran, how many
  iterations and the last residual.
* :class:`ThermodynamicsWarning` -- a result that breaks the first or second law beyond
  tolerance. It may be the model's fault (a non-physical distribution, an inconsistent
  transmission), so it warns rather than raises.
"""

from __future__ import annotations

import warnings

__all__ = ["InputError", "ConvergenceError", "ThermodynamicsWarning", "warn_thermodynamics"]


class InputError(ValueError):
    """Bad input: the message names the argument, what was received and what was expected."""


class ConvergenceError(RuntimeError):
    """A numerical solver did not converge; the message says which, how far, and why."""


class ThermodynamicsWarning(UserWarning):
    """A computed result violates the first or second law beyond the stated tolerance.

    This is visible by default (a ``UserWarning``): a violation usually means the model is
    not physical (for instance a transmission matrix that does not conserve current), and a
    user should see it.
    """


def warn_thermodynamics(message: str, *, stacklevel: int = 3) -> None:
    """Emit a :class:`ThermodynamicsWarning` pointing at the caller's caller."""
    warnings.warn(message, ThermodynamicsWarning, stacklevel=stacklevel)
