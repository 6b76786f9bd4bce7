"""Where things live: the archive (--store, then NEWSCLI_STORE, then the config file's
`store`, then the platform's data directory) and the config file (XDG_CONFIG_HOME)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

STORE_FILENAME = "articles.jsonl"


def default_data_dir(environ: Mapping[str, str], platform: str = sys.platform) -> Path:
    home = Path(environ.get("HOME") or Path.home())
    if platform == "darwin":
        return home / "Library" / "Application Support" / "newscli"
    if platform.startswith("win"):
        base = environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / "newscli"
    # XDG: an empty or relative XDG_DATA_HOME must be ignored, as the spec says.
    xdg = environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else home / ".local" / "share"
    return base / "newscli"


def config_path(environ: Mapping[str, str]) -> Path:
    """$XDG_CONFIG_HOME/newscli/config.toml, else ~/.config/newscli/config.toml (as gh and git)."""
    xdg = environ.get("XDG_CONFIG_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path(environ.get("HOME") or Path.home()) / ".config"
    return base / "newscli" / "config.toml"


def resolve_store_path(option: str | None, environ: Mapping[str, str], configured: str | None = None) -> Path:
    chosen = option or environ.get("NEWSCLI_STORE") or configured
    if chosen:
        return Path(chosen).expanduser()
    return default_data_dir(environ) / STORE_FILENAME
