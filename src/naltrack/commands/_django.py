"""Start Django for a subcommand that needs the database (imported lazily, inside commands)."""

from __future__ import annotations

import os


def setup_django() -> None:
    """Configure and start Django with naltrack's settings (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naltrack.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def pending_migrations() -> list[str]:
    """Names of migrations not yet applied to the configured database."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
