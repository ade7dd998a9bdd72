"""`naltrack backup FILE` and `naltrack restore FILE`: a portable, verified copy of the whole database.

The file works on SQLite and PostgreSQL and from one to the other. It is gzip-compressed JSON lines:

- line 1, the manifest: ``{"format": "naltrack-backup", "version": 1, "naltrack": "0.1.0",
  "created_at": ISO time, "database": "sqlite"|"postgresql", "migrations": ["app.name", ...],
  "counts": {"app.model": rows}, "rows": total, "sha256": hex}``;
- every following line, one row in Django's serialization (``{"model", "pk", "fields"}``, the format
  ``loaddata`` reads), models in dependency order (referenced tables first), rows by primary key;
  many-to-many links are rows of their own link tables. ``sha256`` covers the bytes of these lines.

The manifest and the rows are two gzip members of one file (gzip readers see one stream), so the
checksum can sit in the first line. The file is written readable by its owner only (0600): it holds
health data, password hashes and every secret the database keeps.

``restore`` checks the whole file first (gzip integrity, checksum, row counts), then that the backup's
migrations are this code's migrations, then that the database holds no data (unless ``--replace``); it
loads everything in one transaction, checks every foreign key, resets PostgreSQL's sequences and compares
the row counts with the manifest before committing. Any failure rolls everything back.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from django.db.models import Model

FORMAT = "naltrack-backup"
FORMAT_VERSION = 1
BATCH_ROWS = 1000
# Tables that `naltrack migrate` fills by itself: rows there do not make a database "hold data".
# (Content types and permissions come from Django; the forum's default categories from a data migration.)
FILLED_BY_MIGRATE = frozenset({"contenttypes.contenttype", "auth.permission", "community.category"})

Advance = Callable[[int], None]


class BackupError(Exception):
    """A backup or restore refused with a one-line reason (nothing was changed)."""


# --- Models and migrations ------------------------------------------------------------------------


def label(model: type[Model]) -> str:
    return model._meta.label_lower


def backup_models() -> list[type[Model]]:
    """Every table Django manages, referenced tables before the tables that refer to them."""
    from django.apps import apps

    candidates = [m for m in apps.get_models(include_auto_created=True)
                  if m._meta.managed and not m._meta.proxy and not m._meta.swapped]
    known = set(candidates)
    ordered: list[type[Model]] = []
    done: set[type[Model]] = set()

    def visit(model: type[Model], path: set[type[Model]]) -> None:
        if model in done or model in path:  # a cycle is fine: foreign keys are checked at commit
            return
        path.add(model)
        for field in model._meta.local_concrete_fields:
            target = field.related_model if field.is_relation else None
            if isinstance(target, type) and target in known and target is not model:
                visit(target, path)
        path.discard(model)
        done.add(model)
        ordered.append(model)

    for model in sorted(candidates, key=label):
        visit(model, set())
    return ordered


def applied_migrations() -> list[str]:
    """'app.name' of every migration recorded as applied in the configured database."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


def _compare_with_code(migrations: list[str]) -> tuple[list[str], list[str]]:
    """(this code's migrations missing from ``migrations``, ``migrations`` this code does not have)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    code = {f"{app}.{name}" for app, name in loader.graph.nodes}
    given = set(migrations)
    replaced: set[str] = set()
    for key, migration in loader.replacements.items():
        parts = {f"{app}.{name}" for app, name in migration.replaces}
        replaced |= parts
        if parts <= given:  # all the squashed ones were applied: the squash counts as applied
            given.add(f"{key[0]}.{key[1]}")
    return sorted(code - given), sorted(given - code - replaced)


def migration_mismatch(backup_migrations: list[str]) -> str:
    """Why a backup's migrations are not this code's ('' when they match)."""
    lacking, unknown = _compare_with_code(backup_migrations)
    reasons = []
    if lacking:
        reasons.append(f"the backup lacks {_some(lacking)} (it was made by an older naltrack: restore it "
                       "with that version, then upgrade)")
    if unknown:
        reasons.append(f"this code lacks {_some(unknown)} (the backup was made by a newer naltrack)")
    return "; ".join(reasons)


def database_migrations_unknown_to_code() -> list[str]:
    """Migrations applied to the configured database that this code does not have (a newer naltrack's)."""
    return _compare_with_code(applied_migrations())[1]


def _some(names: list[str], shown: int = 4) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def row_counts(models: list[type[Model]]) -> dict[str, int]:
    return {label(model): model._base_manager.count() for model in sorted(models, key=label)}


def tables_with_data(models: list[type[Model]]) -> dict[str, int]:
    """Rows per table, for the tables with rows that `naltrack migrate` did not put there."""
    return {name: count for name, count in row_counts(models).items()
            if count and name not in FILLED_BY_MIGRATE}


# --- Writing --------------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    """Values Django's serializer leaves as Python objects, as exact text (full microseconds)."""
    import datetime as dt
    import decimal
    import uuid

    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        from django.utils.duration import duration_iso_string

        return duration_iso_string(value)
    raise TypeError(f"cannot store a {type(value).__name__} in a backup")


def _encode(row: dict[str, Any], *, sort_keys: bool = True) -> bytes:
    """One line of JSON; sorted keys make the same rows the same bytes on SQLite and PostgreSQL."""
    return (json.dumps(row, default=_json_default, ensure_ascii=False, sort_keys=sort_keys,
                       separators=(",", ":")) + "\n").encode()


def _serialized_rows(model: type[Model], advance: Advance) -> Iterator[dict[str, Any]]:
    """The model's rows in Django's serialization, by primary key, a batch at a time."""
    from django.core.serializers.python import Serializer

    class RowSerializer(Serializer):
        def handle_m2m_field(self, obj: Any, field: Any) -> None:
            """Links are stored as rows of their own link tables."""

    serializer = RowSerializer()
    queryset = model._base_manager.order_by("pk")
    last = None
    while True:
        batch = list((queryset.filter(pk__gt=last) if last is not None else queryset)[:BATCH_ROWS])
        if not batch:
            return
        yield from serializer.serialize(batch)
        advance(len(batch))
        last = batch[-1].pk


@contextlib.contextmanager
def read_snapshot() -> Iterator[None]:
    """One consistent view of the database for the whole backup, blocking no writer."""
    from django.db import connection, transaction

    if connection.in_atomic_block:  # already inside a transaction (tests): that is the snapshot
        yield
        return
    if connection.vendor == "sqlite":
        # naltrack opens SQLite transactions IMMEDIATE (a write lock); a deferred one only reads, and
        # in WAL mode it sees the database as of its first read while writers carry on.
        mode = connection.transaction_mode  # type: ignore[attr-defined]
        connection.transaction_mode = None  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                yield
        finally:
            connection.transaction_mode = mode  # type: ignore[attr-defined]
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _private_temporary(folder: Path, name: str) -> tuple[int, Path]:
    import tempfile

    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    os.fchmod(descriptor, 0o600)
    return descriptor, Path(temporary)


def write_backup(path: Path, *, on_start: Callable[[int], Advance]) -> dict[str, Any]:
    """Write the whole database to ``path`` (0600, replaced in one step) and return its manifest.

    ``on_start(total_rows)`` returns the function that is told how many rows have been written.
    """
    import datetime as dt

    from django.db import connection

    import naltrack

    models = backup_models()
    descriptor, content_path = _private_temporary(path.parent, path.name)
    final_path = content_path.with_name(content_path.name + ".final")
    try:
        digest = hashlib.sha256()
        written: Counter[str] = Counter()
        with open(descriptor, "wb") as raw, read_snapshot():
            created_at = dt.datetime.now(dt.UTC).isoformat()
            migrations = applied_migrations()
            counts = row_counts(models)
            advance = on_start(sum(counts.values()))
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as content:
                for model in models:
                    for row in _serialized_rows(model, advance):
                        line = _encode(row)
                        digest.update(line)
                        content.write(line)
                        written[row["model"]] += 1
        if {name: n for name, n in written.items() if n} != {name: n for name, n in counts.items() if n}:
            raise BackupError("the database changed while it was read; run the backup again")
        manifest = {
            "format": FORMAT, "version": FORMAT_VERSION, "naltrack": naltrack.__version__,
            "created_at": created_at, "database": connection.vendor, "migrations": migrations,
            "counts": counts, "rows": sum(counts.values()), "sha256": digest.hexdigest(),
        }
        final_descriptor = os.open(final_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(final_descriptor, "wb") as final, open(content_path, "rb") as content_file:
            with gzip.GzipFile(fileobj=final, mode="wb", mtime=0) as head:
                head.write(_encode(manifest, sort_keys=False))  # "format" first, for a reader of the file
            while chunk := content_file.read(1 << 20):
                final.write(chunk)
            final.flush()
            os.fsync(final.fileno())
        verify_backup(final_path)  # read back what was written before calling it a backup
        os.replace(final_path, path)
        return manifest
    finally:
        content_path.unlink(missing_ok=True)
        final_path.unlink(missing_ok=True)


# --- Reading --------------------------------------------------------------------------------------

_SHA256 = re.compile(r"[0-9a-f]{64}")


def _check_manifest(manifest: Any) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not a naltrack backup (no manifest)")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(f"backup format version {manifest.get('version')!r} is not one this naltrack reads "
                          f"({FORMAT_VERSION})")
    counts, migrations = manifest.get("counts"), manifest.get("migrations")
    if not (isinstance(counts, dict) and all(isinstance(k, str) and type(v) is int and v >= 0
                                             for k, v in counts.items())
            and isinstance(migrations, list) and all(isinstance(m, str) for m in migrations)
            and isinstance(manifest.get("sha256"), str) and _SHA256.fullmatch(manifest["sha256"])
            and type(manifest.get("rows")) is int and manifest["rows"] == sum(counts.values())):
        raise BackupError("the manifest is damaged")
    return manifest


def _lines(path: Path) -> Iterator[bytes]:
    """The file's lines, decompressed; damage and truncation become a BackupError."""
    try:
        with gzip.open(path, "rb") as stream:
            yield from stream
    except FileNotFoundError:
        raise BackupError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file") from None
    except gzip.BadGzipFile as exc:
        if "Not a gzipped file" in str(exc):
            raise BackupError("not a naltrack backup (not gzip-compressed)") from None
        raise BackupError(f"the file is damaged ({exc})") from None
    except EOFError:
        raise BackupError("the file is truncated or damaged (it ends before the compressed data does)") from None
    except (zlib.error, OSError) as exc:
        raise BackupError(f"the file is damaged or unreadable ({exc.__class__.__name__})") from None


def _rows(lines: Iterator[bytes], digest: Any) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(lines, start=2):
        digest.update(line)
        try:
            row = json.loads(line)
        except (ValueError, RecursionError):
            raise BackupError(f"line {number} is not JSON") from None
        if not (isinstance(row, dict) and isinstance(row.get("model"), str) and isinstance(row.get("fields"), dict)
                and "pk" in row):
            raise BackupError(f"line {number} is not a row")
        yield row


def _open(path: Path) -> tuple[dict[str, Any], Iterator[bytes]]:
    lines = _lines(path)
    first = next(lines, b"")
    if not first:
        raise BackupError("not a naltrack backup (the file is empty)")
    try:
        manifest = json.loads(first)
    except ValueError:
        raise BackupError("not a naltrack backup (no manifest)") from None
    return _check_manifest(manifest), lines


def _check_content(manifest: dict[str, Any], digest: Any, counts: Counter[str]) -> None:
    if digest.hexdigest() != manifest["sha256"]:
        raise BackupError("checksum mismatch: the content is not what was backed up (the file was altered "
                          "or damaged)")
    expected = {name: n for name, n in manifest["counts"].items() if n}
    if dict(counts) != expected:
        differing = sorted(set(expected) ^ set(counts) | {n for n in expected if counts.get(n) != expected[n]})
        raise BackupError(f"the row counts do not match the manifest ({_some(differing)})")


def verify_backup(path: Path) -> dict[str, Any]:
    """Read the whole file: gzip integrity, manifest, checksum and row counts. Returns the manifest."""
    manifest, lines = _open(path)
    digest = hashlib.sha256()
    counts: Counter[str] = Counter(row["model"] for row in _rows(lines, digest))
    _check_content(manifest, digest, counts)
    return manifest


# --- Restoring ------------------------------------------------------------------------------------


def flush_database(models: list[type[Model]]) -> None:
    """Delete every row of every table (inside the caller's transaction)."""
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor == "postgresql":
        connection.check_constraints()  # PostgreSQL refuses to TRUNCATE with foreign-key checks pending
    existing = set(connection.introspection.table_names())
    tables = [model._meta.db_table for model in models if model._meta.db_table in existing]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _insert(model: type[Model], objects: list[Model]) -> None:
    """Insert rows exactly as stored (raw: no auto_now, no signals, primary keys kept)."""
    from django.db import connection

    fields = [field for field in model._meta.local_concrete_fields if not getattr(field, "generated", False)]
    size = max(1, min(BATCH_ROWS, connection.ops.bulk_batch_size(fields, objects)))
    for start in range(0, len(objects), size):
        model._base_manager._insert(objects[start:start + size], fields=fields, raw=True)  # type: ignore[attr-defined]


def load_backup(path: Path, manifest: dict[str, Any], models: list[type[Model]], advance: Advance) -> None:
    """Replace every row with the backup's, inside the caller's transaction; check it all before returning."""
    from django.core.management.color import no_style
    from django.core.serializers.base import DeserializationError
    from django.core.serializers.python import Deserializer
    from django.db import connection

    flush_database(models)
    known = {label(model): model for model in models}
    digest = hashlib.sha256()
    counts: Counter[str] = Counter()
    again, lines = _open(path)
    if again != manifest:
        raise BackupError("the file changed while it was restored")

    def checked_rows() -> Iterator[dict[str, Any]]:
        for row in _rows(lines, digest):
            if row["model"] not in known:
                raise BackupError(f"the backup holds a table this code does not have: {row['model']}")
            counts[row["model"]] += 1
            yield row

    pending: list[Model] = []
    try:
        for item in Deserializer(checked_rows(), using=connection.alias):
            obj = item.object
            if pending and type(pending[0]) is not type(obj):
                _insert(type(pending[0]), pending)
                advance(len(pending))
                pending = []
            pending.append(obj)
    except DeserializationError as exc:
        raise BackupError(f"a row cannot be read: {str(exc).splitlines()[0][:200]}") from None
    if pending:
        _insert(type(pending[0]), pending)
        advance(len(pending))
    _check_content(manifest, digest, counts)
    connection.check_constraints(table_names=[model._meta.db_table for model in models])
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    stored = {name: n for name, n in row_counts(models).items() if n}
    if stored != {name: n for name, n in manifest["counts"].items() if n}:
        raise BackupError("the restored row counts differ from the manifest")


# --- The commands ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _progress(quiet: bool, description: str) -> Iterator[Callable[[int], Advance]]:
    """``start(total)`` shows a progress bar on stderr (none when quiet) and returns its advance function."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=quiet or not console.is_terminal) as progress:
        def start(total: int) -> Advance:
            task = progress.add_task(description, total=total)
            return lambda rows: progress.advance(task, rows)

        yield start


def _size(path: Path) -> str:
    size = float(path.stat().st_size)
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


def register(app: typer.Typer) -> None:
    @app.command("backup")
    def backup_command(
        file: Path = typer.Argument(..., help="The backup file to write, e.g. naltrack-2026-10-15.jsonl.gz."),
        force: bool = typer.Option(False, "--force", help="Replace FILE if it exists."),
        as_json: bool = typer.Option(False, "--json", help="Print the manifest summary as JSON, no progress bar."),
    ) -> None:
        """Write a verified, portable copy of the whole database (SQLite or PostgreSQL) to FILE (0600)."""
        from naltrack.commands._common import fail, print_json

        if file.is_dir():
            fail(f"{file} is a folder: name the backup file to write")
        if file.exists() and not force:
            fail(f"{file} exists: choose another name, or pass --force to replace it")
        if not file.parent.is_dir():
            fail(f"no such folder: {file.parent}")

        from naltrack.commands._django import pending_migrations, setup_django

        setup_django()
        pending = pending_migrations()
        if pending:
            fail(f"the database needs {len(pending)} migration(s): run `naltrack migrate` first")
        try:
            with _progress(as_json, "Backing up") as start:
                manifest = write_backup(file, on_start=start)
        except BackupError as exc:
            fail(f"backup failed, nothing written: {exc}")
        summary = {"file": str(file), "bytes": file.stat().st_size, "rows": manifest["rows"],
                   "tables": sum(1 for n in manifest["counts"].values() if n), "sha256": manifest["sha256"],
                   "created_at": manifest["created_at"], "database": manifest["database"],
                   "counts": manifest["counts"]}
        if as_json:
            print_json(summary)
            return
        typer.echo(f"backed up {manifest['rows']} rows of {summary['tables']} tables to {file} ({_size(file)}, "
                   f"sha256 {manifest['sha256'][:16]}), readable by you only: it holds health data, keep it safe")

    @app.command("restore")
    def restore_command(
        file: Path = typer.Argument(..., help="A file written by `naltrack backup`."),
        replace: bool = typer.Option(False, "--replace", help="Delete everything in the database first."),
        as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON, no progress bar."),
    ) -> None:
        """Restore a `naltrack backup` file into an empty database (or replace everything with --replace)."""
        from naltrack.commands._common import fail, print_json

        try:
            manifest = verify_backup(file)
        except BackupError as exc:
            fail(f"cannot restore {file}: {exc}")

        from naltrack.commands._django import pending_migrations, setup_django

        setup_django()
        from django.contrib.contenttypes.models import ContentType
        from django.db import DatabaseError, transaction

        pending = pending_migrations()
        if pending:
            fail(f"the database needs {len(pending)} migration(s): run `naltrack migrate` first")
        newer = database_migrations_unknown_to_code()
        if newer:
            fail(f"the database has migrations this code lacks ({_some(newer)}): restore into a new database, "
                 "or with the naltrack version that made them")
        mismatch = migration_mismatch(manifest["migrations"])
        if mismatch:
            fail(f"cannot restore {file}: its migrations do not match this code: {mismatch}")
        models = backup_models()
        holding = tables_with_data(models)
        if holding and not replace:
            biggest = sorted(holding.items(), key=lambda item: (-item[1], item[0]))
            fail("the database is not empty (" + ", ".join(f"{name}: {n}" for name, n in biggest[:3])
                 + (", …" if len(biggest) > 3 else "") + "); restore --replace deletes everything in it first")
        try:
            with _progress(as_json, "Restoring") as start, transaction.atomic():
                load_backup(file, manifest, models, start(manifest["rows"]))
        except BackupError as exc:
            fail(f"restore failed, nothing changed: {exc}")
        except DatabaseError as exc:
            fail(f"restore failed, nothing changed: {exc.__class__.__name__}: {str(exc).splitlines()[0][:200]}")
        ContentType.objects.clear_cache()
        counts = {name: n for name, n in manifest["counts"].items() if n}
        if as_json:
            print_json({"file": str(file), "rows": manifest["rows"], "tables": len(counts),
                        "created_at": manifest["created_at"], "source_database": manifest["database"],
                        "naltrack": manifest["naltrack"], "replaced": bool(holding), "counts": counts})
            return
        typer.echo(f"restored {manifest['rows']} rows of {len(counts)} tables from {file} (backup of "
                   f"{manifest['created_at']}, naltrack {manifest['naltrack']}, {manifest['database']})")
        width = max((len(name) for name in counts), default=0)
        for name, n in counts.items():
            typer.echo(f"  {name:<{width}}  {n}")
