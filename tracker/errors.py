"""Errors a user can act on. The CLI prints them without a traceback."""


class TrackerError(Exception):
    """A problem the user can fix; `exit_code` follows the CLI contract (2 = usage/config)."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text}\n  Hint: {self.hint}" if self.hint else text


class ConfigError(TrackerError):
    """A bad tracker.toml, rules file or environment override."""


class RuleError(ConfigError):
    """A rule file that cannot be loaded: names the file, the line and the fix."""

    def __init__(self, path: object, line: int | None, message: str, hint: str | None = None):
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {message}", hint)
        self.path = path
        self.line = line


class QueryError(TrackerError):
    """A search query that cannot be parsed or run."""


class LockedError(TrackerError):
    """Another daemon holds the database."""


class Duplicate(Exception):  # noqa: N818 - named like Scrapy's DropItem: a signal, not a failure
    """Raised by the dedupe stage: the item is already stored."""

    def __init__(self, reason: str, document_id: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.document_id = document_id
