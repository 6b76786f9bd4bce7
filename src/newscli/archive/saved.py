"""Saved searches, kept with the archive: a name, the filter options as typed, and when the
search last ran, so `newscli saved` can say what is new since.

`articles.jsonl.saved` is a small JSON file, readable and editable by hand:
`{"ukraine-energy": {"args": ["-q", "energy", "--tag", "Ukraine"], "added": "...",
"last_run": "...", "seen": "..."}}` (`seen`: the newest ingest stamp when it last ran);
replaced atomically under the store lock.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from newscli.archive.aliases import update_side_json
from newscli.archive.family import SAVED_SUFFIX
from newscli.errors import StoreError, UsageError

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")


def saved_path(store_path: Path) -> Path:
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + SAVED_SUFFIX)


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise UsageError(f"'{name}' cannot name a saved search: letters, digits, '-', '_' or '.', "
                         "starting with a letter or digit")
    return name


def load(store_path: Path) -> dict[str, dict]:
    path = saved_path(store_path)
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: cannot read the saved searches ({exc}); fix or remove the file") from None
    if not isinstance(data, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("args"), list) and all(isinstance(a, str) for a in v["args"])
            for v in data.values()):
        raise StoreError(f"{path}: not a saved-searches file (expected {{\"NAME\": {{\"args\": [...]}}}})")
    return data


def get(store_path: Path, name: str) -> dict:
    found = load(store_path).get(name)
    if found is None:
        raise UsageError(f"no saved search '{name}' (newscli saved lists them)")
    return found


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def add(store_path: Path, name: str, args: list[str], replace: bool = False) -> None:
    def change(data: dict) -> None:
        if name in data and not replace:
            raise UsageError(f"a saved search '{name}' exists: newscli saved rm {name} first, or --replace")
        data[name] = {"args": list(args), "added": now(), "last_run": None, "seen": None}
    _update(store_path, change)


def remove(store_path: Path, name: str) -> dict:
    def change(data: dict) -> dict:
        if name not in data:
            raise UsageError(f"no saved search '{name}' (newscli saved lists them)")
        return data.pop(name)
    return _update(store_path, change)


def mark_run(store_path: Path, name: str, when: str, seen: str | None) -> None:
    """Remember the run: when, and the newest ingest stamp the archive held then (`seen`)."""
    def change(data: dict) -> None:
        if name in data:  # removed meanwhile: nothing to mark
            data[name]["last_run"], data[name]["seen"] = when, seen
    _update(store_path, change)


def new_since(entry: dict) -> datetime | None:
    """From when an article is new to a saved search: after the newest ingest stamp the archive
    held when the search last ran (`seen`, UTC as the index keeps it; stamps have whole seconds,
    so 'after' is 'from one second later'). None: every article is new (it never ran, or the
    archive was empty then). An aware time, so the local zone does not move it."""
    seen = entry.get("seen")
    if not entry.get("last_run") or not seen:
        return None
    try:
        moment = datetime.fromisoformat(seen)
    except (TypeError, ValueError):
        raise StoreError(f"a saved search's 'seen' is not a time ({seen!r}): fix it, or set it to null") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)) + timedelta(seconds=1)


def expand(store_path: Path, args: list[str]) -> list[str]:
    """Each `@NAME` in `args` replaced by that saved search's options (before `--` only)."""
    if not any(a.startswith("@") for a in args):
        return args
    saved, out = None, []
    for n, arg in enumerate(args):
        if arg == "--":
            return out + args[n:]
        if arg.startswith("@") and _NAME.fullmatch(arg[1:]):
            saved = saved if saved is not None else load(store_path)
            if arg[1:] not in saved:
                raise UsageError(f"no saved search '{arg[1:]}' (newscli saved lists them)")
            out += saved[arg[1:]]["args"]
        else:
            out.append(arg)
    return out


def _update(store_path: Path, change):
    return update_side_json(store_path, saved_path(store_path), change, "the saved searches")
