"""``python -m thermoflux`` runs the command-line interface."""

from thermoflux.cli import main

main()
