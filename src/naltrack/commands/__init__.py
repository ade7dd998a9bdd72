"""Subcommands of the ``naltrack`` command; see ``naltrack.cli``."""
