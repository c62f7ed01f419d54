"""One settings object: environment (EINKLANG_*), then a TOML config file, then defaults."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str

    @property
    def env(self) -> str:
        return "EINKLANG_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "data/einklang.duckdb", "DuckDB file that holds every version, agreement and goal."),
    Setting("lang", "de", "Language of messages and the dashboard: `de` or `en`."),
    Setting("user", "", "Name recorded with uploads and agreements (the OS user when empty)."),
    Setting("max_file_mb", 50, "Largest file accepted for upload, in MB."),
    Setting("max_unzipped_mb", 500, "Largest declared uncompressed size of a workbook's zip entries together, in MB."),
    Setting("max_zip_ratio", 200, "Largest compression ratio of a workbook zip entry (uncompressed / compressed)."),
    Setting("max_zip_entries", 10000, "Most entries a workbook zip may hold."),
    Setting("memory_limit", "1GB", "DuckDB memory limit for the planning model."),
    Setting("threads", 0, "DuckDB threads (0: DuckDB's default, one per core)."),
    Setting("lock_timeout", 10.0, "Seconds a command waits for another process to release the DuckDB file before it gives up (exit code 3)."),
    Setting("roles", (), "Roles by e-mail address or @domain when a login is configured (table `[einklang.roles]`, "
            "e.g. `vertrieb = [\"@vertrieb.alpenhof.de\"]`; env: JSON); anyone not named only reads."),
)
_BY_NAME = {s.name: s for s in SETTINGS}
CONFIG_ENV = "EINKLANG_CONFIG"
DEFAULT_CONFIG_FILE = "einklang.toml"


@dataclass(frozen=True)
class Settings:
    db: str
    lang: str
    user: str
    max_file_mb: float
    max_unzipped_mb: float
    max_zip_ratio: float
    max_zip_entries: int
    memory_limit: str
    threads: int
    lock_timeout: float
    roles: tuple = ()

    def replace(self, **changes: object) -> "Settings":
        values = {s.name: getattr(self, s.name) for s in SETTINGS}
        values.update({k: v for k, v in changes.items() if v is not None})
        return Settings(**values)


def _coerce(setting: Setting, raw: object) -> object:
    if setting.name == "roles":
        import json
        table = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
        from pipelines.auth import check_roles
        if problems := check_roles(table):
            raise ValueError("[einklang.roles]: " + "; ".join(problems))
        # a tuple of (role, addresses): Settings stays hashable
        return tuple((role, tuple(entries)) for role, entries in table.items())
    if isinstance(setting.default, bool):
        return str(raw).lower() in {"1", "true", "yes", "on"}
    if isinstance(setting.default, int) and not isinstance(raw, int):
        return int(float(str(raw)))
    if isinstance(setting.default, float):
        return float(raw)
    return raw if not isinstance(setting.default, str) else str(raw)


def load_settings(env: dict[str, str] | None = None, config_file: str | Path | None = None) -> Settings:
    """Settings in the documented order of precedence: env, then config file, then default."""
    env = dict(os.environ) if env is None else env
    path = Path(config_file or env.get(CONFIG_ENV) or DEFAULT_CONFIG_FILE)
    from_file: dict[str, object] = {}
    if path.is_file():
        with path.open("rb") as fh:
            from_file = tomllib.load(fh).get("einklang", {})
        unknown = set(from_file) - set(_BY_NAME)
        if unknown:
            raise ValueError(f"{path}: unknown settings {sorted(unknown)}; known: {sorted(_BY_NAME)}")
    values = {}
    for s in SETTINGS:
        raw = env.get(s.env, from_file.get(s.name, s.default))
        values[s.name] = _coerce(s, raw)
    if values["lang"] not in ("de", "en"):
        values["lang"] = "de"
    return Settings(**values)
