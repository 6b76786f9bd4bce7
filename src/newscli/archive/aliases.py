"""One name for one thing: groups of tag or source names that count as one, kept with the archive.

`articles.jsonl.aliases` is a small JSON file, `{"tag": [["Politik", "Politics", ...]],
"source": [["Ukrainska Pravda", "Українська правда"]]}`: the first name of a group is the one
shown. It travels with the archive (a colleague who copies the store's folder gets it), is
readable and editable by hand, and is replaced atomically under the store lock.
"""

from __future__ import annotations

import json
from pathlib import Path

from newscli.archive.family import ALIASES_SUFFIX
from newscli.archive.files import rewrite_json, side_mode
from newscli.archive.store import lock_path
from newscli.archive.values import fold, tag_key
from newscli.errors import StoreError, UsageError, os_reason

KINDS = ("tag", "source")


def aliases_path(store_path: Path) -> Path:
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + ALIASES_SUFFIX)


def key(kind: str, name: str) -> str:
    return tag_key(name) if kind == "tag" else fold(name)


class Aliases:
    """The groups of one archive, looked up by any member's folded name."""

    def __init__(self, groups: dict[str, list[list[str]]] | None = None) -> None:
        self.groups = {kind: [list(g) for g in (groups or {}).get(kind, ())] for kind in KINDS}
        self._by_key = {kind: {key(kind, name): tuple(g) for g in self.groups[kind] for name in g}
                        for kind in KINDS}

    def __bool__(self) -> bool:
        return any(self.groups.values())

    def group(self, kind: str, name: str) -> tuple[str, ...] | None:
        """Every name of the group `name` belongs to (first: the one shown), or None."""
        return self._by_key[kind].get(key(kind, name))

    def shown(self, kind: str, name: str) -> str:
        group = self.group(kind, name)
        return group[0] if group else name


def load(store_path: Path) -> Aliases:
    path = aliases_path(store_path)
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return Aliases()
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: cannot read the aliases ({exc}); fix or remove the file") from None
    return _checked(path, data)


def _checked(path: Path, data: object) -> Aliases:
    if not isinstance(data, dict) or not all(
            isinstance(g, list) and all(isinstance(n, str) for n in g)
            for kind in KINDS for g in data.get(kind, [])):
        raise StoreError(f"{path}: not an aliases file (expected {{\"tag\": [[names...]], \"source\": [...]}})")
    return Aliases(data)


def define(store_path: Path, kind: str, names: list[str]) -> list[str]:
    """Make `names` one group (merging groups any of them already belongs to); the group."""
    names = [n.strip().lstrip("#") if kind == "tag" else n.strip() for n in names]
    if len({key(kind, n) for n in names if n}) < 2:
        raise UsageError("an alias joins at least two different names")

    def change(aliases: Aliases) -> list[str]:
        wanted = {key(kind, n) for n in names}
        joined, kept = list(names), []
        for group in aliases.groups[kind]:
            if wanted & {key(kind, n) for n in group}:
                joined += group
            else:
                kept.append(group)
        group = list({key(kind, n): n for n in reversed(joined)}.values())[::-1]  # first spelling wins
        aliases.groups[kind] = kept + [group]
        return group

    return _update(store_path, change)


def undefine(store_path: Path, kind: str, name: str) -> list[str]:
    """End the group `name` belongs to; the names it held."""
    def change(aliases: Aliases) -> list[str]:
        group = aliases.group(kind, name)
        if group is None:
            raise UsageError(f"no {kind} alias holds '{name}'")
        aliases.groups[kind] = [g for g in aliases.groups[kind] if tuple(g) != group]
        return list(group)

    return _update(store_path, change)


def _update(store_path: Path, change):
    path = aliases_path(store_path)

    def edit(data: dict):
        aliases = _checked(path, data)
        result = change(aliases)
        data.clear()
        data.update({kind: groups for kind, groups in aliases.groups.items() if groups})
        return result

    return update_side_json(store_path, path, edit, "the aliases")


def update_side_json(store_path: Path, path: Path, change, what: str):
    """rewrite_json for one of the store's JSON side files (aliases, saved searches): under the
    store lock, never more readable than the store, failures said as one line naming `what`."""
    try:
        return rewrite_json(path, lock_path(store_path), change, dict, side_mode(store_path))
    except OSError as exc:
        raise StoreError(f"{path}: cannot write ({os_reason(exc)}); {what} are unchanged") from None
    except ValueError as exc:
        raise StoreError(f"{path}: cannot read {what} ({exc}); fix or remove the file") from None

