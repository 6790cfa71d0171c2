"""``golive flags create|set|show|list|history|export|import``: the registry's flag store."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from golive.actor import current_actor
from golive.cli._errors import reported_errors
from golive.errors import UsageError
from golive.flags.formats import detect_format, parse_flags
from golive.flags.model import Flag
from golive.registry import Registry, open_registry, resolve_registry_url
from golive.registry.flag_edits import CREATE_STRATEGIES, flag_edit, new_flag, parse_constraint
from golive.registry.flags import (
    StoredFlag,
    create_flag,
    export_flags,
    flag_history,
    get_flag,
    import_flags,
    list_flags,
    update_flag,
)
from golive.registry.instants import rfc3339

RegistryOption = typer.Option(
    None,
    "--registry",
    envvar="GOLIVE_REGISTRY",
    help="Registry URL (default: sqlite:///./.golive/registry.db, next to ./golive.yaml).",
)
JsonOption = typer.Option(False, "--json", help="Print JSON instead of text.")
ConstraintOption = typer.Option(
    [],
    "--constraint",
    help="'FIELD OPERATOR VALUE,VALUE...', optionally followed by inverted and/or "
    "case_insensitive, such as 'environment IN production'; repeat for several (all must "
    "hold).",
)


@contextmanager
def _store(registry: str | None) -> Iterator[Registry]:
    with open_registry(resolve_registry_url(registry, Path("."))) as opened:
        yield opened


def describe(flag: Flag) -> str:
    """One line saying how a flag decides: on/off, each strategy and its constraints."""
    if not flag.enabled:
        return "off for everyone (disabled)"
    if not flag.strategies:
        return "on for everyone"
    parts = []
    for s in flag.strategies:
        text = s.name
        if s.name == "flexibleRollout":
            p = s.parameters
            text += f" {p['rollout']}% by {p.get('stickiness', 'default')}"
            text += f" (group {p.get('groupId', flag.name)})"
        elif s.parameters:
            text += " " + ", ".join(f"{k}={v}" for k, v in sorted(s.parameters.items()))
        for c in s.constraints:
            values = c.value if c.value is not None else ",".join(c.values)
            text += f" if {'not ' if c.inverted else ''}{c.context_name} {c.operator} {values}"
        parts.append(text)
    return "on when " + " or ".join(parts)


def _stored_json(stored: StoredFlag) -> dict[str, Any]:
    return {
        **stored.flag.to_dict(),
        "version": stored.version,
        "created_at": rfc3339(stored.created_at),
        "created_by": stored.created_by,
        "updated_at": rfc3339(stored.updated_at),
        "updated_by": stored.updated_by,
    }


def _print(stored: StoredFlag, as_json: bool, verb: str = "") -> None:
    if as_json:
        typer.echo(json.dumps(_stored_json(stored), indent=2))
        return
    f = stored.flag
    prefix = f"{verb} " if verb else ""
    typer.echo(f"{prefix}flag {f.name} (version {stored.version}): {describe(f)}")


def create(
    name: str = typer.Argument(..., help="The flag's name, unique in the registry."),
    description: str = typer.Option("", "--description", help="What the flag is for."),
    strategy: str = typer.Option(
        "flexibleRollout",
        "--strategy",
        help=f"How it decides: {', '.join(CREATE_STRATEGIES)}.",
    ),
    rollout: int = typer.Option(
        0, "--rollout", min=0, max=100, help="flexibleRollout percentage to start at."
    ),
    stickiness: str | None = typer.Option(
        None,
        "--stickiness",
        help="flexibleRollout stickiness: default, userId, sessionId, random or a context field.",
    ),
    group_id: str | None = typer.Option(
        None, "--group-id", help="flexibleRollout groupId (default: the flag name)."
    ),
    user_ids: str = typer.Option("", "--user-ids", help="userWithId: comma-separated ids."),
    constraint: list[str] = ConstraintOption,
    enabled: bool = typer.Option(False, "--enabled/--disabled", help="Start on or off."),
    registry: str | None = RegistryOption,
    as_json: bool = JsonOption,
) -> None:
    """Create a flag in the registry (off and at 0% unless told otherwise).

    Example: golive flags create checkout-v2 --description "New checkout" --rollout 10 --enabled
    """
    with reported_errors():
        flag = new_flag(
            name,
            description=description,
            strategy=strategy,
            rollout=rollout,
            stickiness=stickiness,
            group_id=group_id,
            user_ids=user_ids,
            constraints=tuple(parse_constraint(c) for c in constraint),
            enabled=enabled,
        )
        with _store(registry) as store:
            stored = create_flag(store, flag, actor=current_actor())
        _print(stored, as_json, "created")


def set_command(
    name: str = typer.Argument(..., help="The flag to change."),
    enabled: bool | None = typer.Option(
        None, "--enabled/--disabled", help="Turn the flag on or off for everyone."
    ),
    rollout: int | None = typer.Option(
        None, "--rollout", min=0, max=100, help="Set the flexibleRollout percentage."
    ),
    stickiness: str | None = typer.Option(None, "--stickiness", help="flexibleRollout stickiness."),
    group_id: str | None = typer.Option(None, "--group-id", help="flexibleRollout groupId."),
    constraint: list[str] = ConstraintOption,
    clear_constraints: bool = typer.Option(
        False, "--clear-constraints", help="Remove the constraints of the first strategy."
    ),
    description: str | None = typer.Option(None, "--description", help="New description."),
    registry: str | None = RegistryOption,
    as_json: bool = JsonOption,
) -> None:
    """Change a flag; the old and new definitions go to the audit chain.

    Example: golive flags set checkout-v2 --rollout 25
    """
    with reported_errors():
        change = flag_edit(
            enabled=enabled,
            rollout=rollout,
            stickiness=stickiness,
            group_id=group_id,
            constraints=tuple(parse_constraint(c) for c in constraint),
            clear_constraints=clear_constraints,
            description=description,
        )
        with _store(registry) as store:
            stored, changed = update_flag(store, name, change, actor=current_actor())
        _print(stored, as_json, "changed" if changed else "unchanged:")


def show(
    name: str = typer.Argument(..., help="The flag to show."),
    registry: str | None = RegistryOption,
    as_json: bool = JsonOption,
) -> None:
    """Show a flag: how it decides, its version, who changed it last.

    Example: golive flags show checkout-v2 --json
    """
    with reported_errors():
        with _store(registry) as store:
            stored = get_flag(store, name)
        if as_json:
            _print(stored, True)
            return
        f = stored.flag
        typer.echo(f"flag {f.name}: {describe(f)}")
        if f.description:
            typer.echo(f"  {f.description}")
        typer.echo(
            f"  version {stored.version}, created {rfc3339(stored.created_at)} by "
            f"{stored.created_by}, changed {rfc3339(stored.updated_at)} by {stored.updated_by}"
        )


def list_command(registry: str | None = RegistryOption, as_json: bool = JsonOption) -> None:
    """List the flags in the registry, by name.

    Example: golive flags list --json
    """
    with reported_errors():
        with _store(registry) as store:
            stored = list_flags(store)
            url = store.url
        if as_json:
            typer.echo(json.dumps([_stored_json(s) for s in stored], indent=2))
        elif not stored:
            typer.echo(f"No flags in {url}; create one with `golive flags create NAME`.")
        for s in [] if as_json else stored:
            typer.echo(f"{s.flag.name}  v{s.version}  {describe(s.flag)}")


def history(
    name: str = typer.Argument(..., help="The flag whose changes to list."),
    registry: str | None = RegistryOption,
    as_json: bool = JsonOption,
) -> None:
    """List every change of a flag, oldest first: when, who, what, old and new.

    Example: golive flags history checkout-v2
    """
    with reported_errors():
        with _store(registry) as store:
            changes = flag_history(store, name)
        if as_json:
            rows = [
                {
                    "seq": c.seq,
                    "at": rfc3339(c.at),
                    "actor": c.actor,
                    "action": c.action,
                    "change": c.change,
                    "old": c.old,
                    "new": c.new,
                }
                for c in changes
            ]
            typer.echo(json.dumps(rows, indent=2))
            return
        for c in changes:
            new = parse_flags({"schema": "golive.flags/v1", "flags": [c.new]})[0]
            typer.echo(f"#{c.seq} {rfc3339(c.at)} {c.actor} {c.change}: {describe(new)}")


def export(
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to FILE instead of stdout."
    ),
    registry: str | None = RegistryOption,
) -> None:
    """Export every flag as golive.flags/v1 JSON, which FlagClient.from_file loads.

    Example: golive flags export -o flags.json
    """
    with reported_errors():
        with _store(registry) as store:
            document = export_flags(store)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if output is None:
            sys.stdout.write(text)
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{output}: cannot write: {exc.strerror or exc}") from None
        typer.echo(f"wrote {len(document['flags'])} flags to {output}", err=True)


def import_command(
    file: Path = typer.Argument(
        ..., help="A golive.flags/v1 export or an Unleash features export."
    ),
    fmt: str = typer.Option(
        "auto", "--format", help="golive, unleash, or auto (told apart by the document's shape)."
    ),
    registry: str | None = RegistryOption,
    as_json: bool = JsonOption,
) -> None:
    """Create or replace flags from a file, in one transaction; each change is audited.

    An Unleash export using strategies golive does not evaluate is refused whole.

    Example: golive flags import unleash-features.json --format unleash
    """
    with reported_errors():
        if fmt not in ("auto", "golive", "unleash"):
            raise UsageError(f"--format {fmt!r}: expected golive, unleash or auto")
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"{file}: no such flags file") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"{file}: cannot read a flags document: {exc}") from None
        found = detect_format(data)
        if fmt != "auto" and found != fmt:
            raise UsageError(f"{file}: --format {fmt} but the document is a {found} export")
        flags = parse_flags(data, source=str(file))
        with _store(registry) as store:
            result = import_flags(store, flags, actor=current_actor())
        if as_json:
            typer.echo(json.dumps(result))
            return
        typer.echo(
            f"imported {len(flags)} flags from {file}: "
            + ", ".join(f"{len(names)} {what}" for what, names in result.items())
        )


def store_commands(app: typer.Typer) -> None:
    """Add the store's commands to the ``flags`` group."""
    app.command("create")(create)
    app.command("set")(set_command)
    app.command("show")(show)
    app.command("list")(list_command)
    app.command("history")(history)
    app.command("export")(export)
    app.command("import")(import_command)
