"""Backup and restore of a whole installation, portable between SQLite and PostgreSQL.

A backup is a zip: ``manifest.json`` (format, migrations, and per table its row count and a
content hash), ``tables/<app>.<model>.jsonl`` (Django's serialization, one row a line, tables
in foreign-key order) and ``uploads/…`` (the data dir's uploaded files). Restoring loads it
into an empty database of either kind in one transaction, checks every table's count and hash
against the manifest before committing, and resets PostgreSQL's sequences.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

FORMAT = "silkbridge-backup"
VERSION = 1
CHUNK = 2000
# Filled by `migrate` itself; a restore replaces them with the backup's rows (same ids, so links hold).
MIGRATE_FILLS = ("contenttypes.contenttype", "auth.permission")
# Not the installation's data: the page cache's generation counter, which migrate starts and every write bumps.
NOT_KEPT = ("web.cachegeneration",)


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why and what to do."""


def _label(model) -> str:
    return model._meta.label_lower


def models_in_order() -> list:
    """Every concrete model with a table of its own, each after the models its foreign keys point to."""
    from django.apps import apps

    candidates = [m for m in apps.get_models()
                  if m._meta.managed and not m._meta.proxy and _label(m) not in NOT_KEPT]
    by_label = {_label(m): m for m in candidates}
    ordered: list = []
    state: dict[str, str] = {}

    def visit(model) -> None:
        label = _label(model)
        if state.get(label) == "done":
            return
        if state.get(label) == "visiting":
            return  # a cycle: constraints are checked at the end of the load, so any order works
        state[label] = "visiting"
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is not None and target is not model and _label(target) in by_label:
                visit(by_label[_label(target)])
        state[label] = "done"
        ordered.append(model)

    for model in sorted(candidates, key=_label):
        visit(model)
    return ordered


def _canonical(value):
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


def _row_text(record: dict, m2m: Iterable[str]) -> str:
    fields = dict(record["fields"])
    for name in m2m:
        fields[name] = sorted(fields.get(name) or [], key=str)
    return json.dumps({"pk": record["pk"], "fields": _canonical(fields)}, sort_keys=True, ensure_ascii=False,
                      cls=_encoder())


def _records(model) -> Iterable[dict]:
    from django.core import serializers

    queryset = model._default_manager.order_by("pk")
    last = None
    while True:  # keyset pages: no cursor held open, the same on both databases
        page = list(queryset.filter(pk__gt=last)[:CHUNK] if last is not None else queryset[:CHUNK])
        if not page:
            return
        yield from serializers.serialize("python", page)
        last = page[-1].pk


def table_digest(model) -> tuple[int, str]:
    """(rows, sha256) of a table's content in a form that is the same on SQLite and PostgreSQL."""
    m2m = [f.name for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    digest, count = hashlib.sha256(), 0
    for record in _records(model):
        digest.update(_row_text(record, m2m).encode())
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def digests() -> dict[str, dict]:
    """Every table's row count and content hash, as a manifest holds them."""
    out = {}
    for model in models_in_order():
        rows, sha = table_digest(model)
        out[_label(model)] = {"rows": rows, "sha256": sha}
    return out


def _snapshot():
    """A transaction in which every table is read at one moment (a consistent snapshot)."""
    from django.db import connection, transaction

    atomic = transaction.atomic()
    atomic.__enter__()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    # SQLite: this installation opens its transactions IMMEDIATE, so writers wait until the backup is done.
    return atomic


def backup(path: str | Path, *, say: Callable[[str], None] = lambda _m: None) -> dict:
    """Write the whole installation to ``path``; returns the manifest."""
    from django.conf import settings
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    path = Path(path)
    if path.suffix.lower() != ".zip":
        raise BackupError(f"{path}: a backup is a .zip file; name it e.g. silkbridge-backup.zip")
    partial = path.with_name(path.name + ".partial")
    tables: dict[str, dict] = {}
    atomic = _snapshot()
    try:
        migrations: dict[str, str] = {}
        for app, name in MigrationRecorder(connection).migration_qs.order_by("id").values_list("app", "name"):
            migrations[app] = name
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            for model in models_in_order():
                label = _label(model)
                m2m = [f.name for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
                digest, count = hashlib.sha256(), 0
                with archive.open(f"tables/{label}.jsonl", "w", force_zip64=True) as raw:
                    out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
                    for record in _records(model):
                        out.write(json.dumps(record, ensure_ascii=False, cls=_encoder()) + "\n")
                        digest.update(_row_text(record, m2m).encode())
                        digest.update(b"\n")
                        count += 1
                    out.flush()
                    out.detach()
                tables[label] = {"rows": count, "sha256": digest.hexdigest()}
                if count:
                    say(f"{label}: {count} rows")
            uploads = {}
            folder = Path(settings.DATA_DIR) / "uploads"
            for file in sorted(folder.rglob("*")) if folder.exists() else ():
                if file.is_file():
                    name = file.relative_to(folder).as_posix()
                    archive.write(file, f"uploads/{name}")
                    uploads[name] = hashlib.sha256(file.read_bytes()).hexdigest()
            manifest = {
                "format": FORMAT, "version": VERSION,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "database": connection.vendor, "migrations": migrations,
                "tables": tables, "uploads": uploads,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
    except BaseException:
        atomic.__exit__(None, None, None)
        partial.unlink(missing_ok=True)
        raise
    atomic.__exit__(None, None, None)
    partial.replace(path)  # a backup file is whole or absent, never half-written
    return manifest


def _encoder():
    from django.core.serializers.json import DjangoJSONEncoder

    class Encoder(DjangoJSONEncoder):
        """Django's encoder, but times keep their microseconds (its own cuts them to milliseconds)."""

        def default(self, o):
            if isinstance(o, (dt.datetime, dt.time)):
                return o.isoformat()
            return super().default(o)

    return Encoder


def read_manifest(archive: zipfile.ZipFile, path: Path) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise BackupError(f"{path}: not a silkbridge backup (no readable manifest.json)") from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"{path}: not a silkbridge backup of version {VERSION} "
                          f"(format {manifest.get('format')!r}, version {manifest.get('version')!r})")
    return manifest


def non_empty_tables() -> dict[str, int]:
    """Tables holding rows an installation made (what `migrate` fills does not count)."""
    return {label: n for model in models_in_order()
            if (label := _label(model)) not in MIGRATE_FILLS and (n := model._default_manager.count())}


def restore(path: str | Path, *, say: Callable[[str], None] = lambda _m: None) -> dict:
    """Load the backup at ``path`` into this installation's empty database; returns the manifest."""
    from django.conf import settings
    from django.core.management import call_command

    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise BackupError(f"{path}: not a zip file, so not a silkbridge backup") from exc
    with archive:
        manifest = read_manifest(archive, path)
        call_command("migrate", interactive=False, verbosity=0)
        _check_migrations(manifest)
        occupied = non_empty_tables()
        if occupied:
            shown = ", ".join(f"{label} ({n} rows)" for label, n in list(occupied.items())[:5])
            raise BackupError(f"the database is not empty: {shown}{' …' if len(occupied) > 5 else ''}; restore "
                              f"into a new database (a new SILKBRIDGE_DATABASE_URL, or a new SILKBRIDGE_DATA_DIR for "
                              f"SQLite); nothing was changed")
        _load(archive, manifest, say)
        folder = Path(settings.DATA_DIR) / "uploads"
        for name, sha in manifest.get("uploads", {}).items():
            data = archive.read(f"uploads/{name}")
            if hashlib.sha256(data).hexdigest() != sha:
                raise BackupError(f"{path}: uploads/{name} does not match its hash in the manifest; the database was "
                                  f"restored, the file was not")
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return manifest


def _check_migrations(manifest: dict) -> None:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    here: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("id").values_list("app", "name"):
        here[app] = name
    newer = {app: name for app, name in manifest["migrations"].items() if app in here and name > here[app]}
    unknown = sorted(app for app in manifest["migrations"] if app not in here)
    if newer or unknown:
        raise BackupError("the backup was made by a newer silkbridge (migrations "
                          f"{', '.join(f'{a}.{n}' for a, n in newer.items()) or ', '.join(unknown)}); "
                          "upgrade silkbridge, then restore")


def _load(archive: zipfile.ZipFile, manifest: dict, say: Callable[[str], None]) -> None:
    from django.core import serializers
    from django.core.management.color import no_style
    from django.db import connection, transaction

    order = models_in_order()
    by_label = {_label(m): m for m in order}
    missing = [label for label in manifest["tables"] if label not in by_label]
    if missing:
        raise BackupError(f"the backup holds tables this silkbridge does not know: {', '.join(missing)}")
    # Foreign keys are checked once every table is in (Django's are deferred on both databases).
    with connection.constraint_checks_disabled(), transaction.atomic():
        for label in reversed(MIGRATE_FILLS):
            by_label[label]._default_manager.all().delete()
        for model in order:
            label = _label(model)
            if label not in manifest["tables"]:
                continue
            count = 0
            with archive.open(f"tables/{label}.jsonl") as raw:
                batch = []
                for line in io.TextIOWrapper(raw, encoding="utf-8"):
                    if line.strip():
                        batch.append(line)
                    if len(batch) >= CHUNK:
                        count += _store(model, batch, serializers)
                        batch = []
                count += _store(model, batch, serializers)
            if count:
                say(f"{label}: {count} rows")
        if connection.vendor == "sqlite":
            connection.check_constraints()
        statements = connection.ops.sequence_reset_sql(no_style(), order)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        # Nothing is committed unless every table holds exactly what the backup held.
        for model in order:
            label = _label(model)
            expected = manifest["tables"].get(label, {"rows": 0})
            rows, sha = table_digest(model)
            if rows != expected["rows"] or ("sha256" in expected and expected["rows"] and sha != expected["sha256"]):
                raise BackupError(f"{label}: the restored table holds {rows} rows (hash {sha[:12]}…), the backup "
                                  f"{expected['rows']} (hash {expected.get('sha256', '')[:12]}…); nothing was restored")


class _KeptTimes:
    """Stored times come back as they were: ``auto_now`` fields would stamp the moment of the restore."""

    def __init__(self, model):
        self.fields = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        self.saved = [(f.auto_now, f.auto_now_add) for f in self.fields]

    def __enter__(self):
        for field in self.fields:
            field.auto_now = field.auto_now_add = False

    def __exit__(self, *exc):
        for field, (now, add) in zip(self.fields, self.saved):
            field.auto_now, field.auto_now_add = now, add


def _store(model, lines: list[str], serializers) -> int:
    if not lines:
        return 0
    with _KeptTimes(model):
        return _store_rows(model, lines, serializers)


def _store_rows(model, lines: list[str], serializers) -> int:
    objects = list(serializers.deserialize("jsonl", "".join(lines), ignorenonexistent=True, handle_forward_references=True))
    if model._meta.parents:
        for item in objects:  # multi-table inheritance cannot be bulk-inserted
            item.save()
        return len(objects)
    model._default_manager.bulk_create([item.object for item in objects], batch_size=500)
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:
            continue  # an explicit through model is a table of its own in the backup
        source, target = field.m2m_field_name() + "_id", field.m2m_reverse_field_name() + "_id"
        links = [through(**{source: item.object.pk, target: other})
                 for item in objects for other in item.m2m_data.get(field.name, ())]
        through._default_manager.bulk_create(links, batch_size=1000)
    return len(objects)
