"""A source's times: one written with no zone is in the source's own zone (sources.toml
`timezone`, default UTC); one that carries a zone keeps it.

Results are aware datetimes expressed in the source's zone, so `.date()` is the calendar day
the source wrote (the tagger dates events by it); storage converts them to UTC. A date with no
time is midnight in the source's zone: "2021-05-24" from a Beijing site is
2021-05-24T00:00+08:00, stored as 2021-05-23T16:00:00+00:00.
"""

from __future__ import annotations

import difflib
import functools
import re
import warnings
import zoneinfo
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from dateutil import parser as dateparser

__all__ = ["ZoneError", "zone_named", "localize", "read_date", "plausible", "has_date", "read_time",
           "read_ymd", "YMD", "ZONE_EXAMPLES"]

ZONE_EXAMPLES = '"Asia/Shanghai" (Beijing time), "Asia/Hong_Kong", "Asia/Tokyo" or "UTC"'


def _fixed(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


# Abbreviations sites write after a time. Fixed offsets, not regions: "EST" is -5 whatever the
# season, and reading them needs no time zone database. The source's own zone wins over this
# table for the abbreviations it uses itself ("CST" on a Beijing site is China Standard Time).
NAMED: dict[str, tzinfo] = {
    "UTC": UTC, "GMT": UTC, "UT": UTC, "Z": UTC,
    "EST": _fixed(-5), "EDT": _fixed(-4), "CST": _fixed(-6), "CDT": _fixed(-5),
    "MST": _fixed(-7), "MDT": _fixed(-6), "PST": _fixed(-8), "PDT": _fixed(-7),
    "BST": _fixed(1), "CET": _fixed(1), "CEST": _fixed(2), "JST": _fixed(9), "HKT": _fixed(8),
    "SGT": _fixed(8), "KST": _fixed(9),
}
# dateutil reads "GMT+8" the POSIX way (8 hours *behind* GMT); sites that write it, Chinese
# ones above all, mean UTC+8. Rewritten as a plain offset before parsing.
_GMT_PLUS = re.compile(r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b")

# 2021-05-24, 2021/5/24, 2021.05.24 and 2021年5月24日 (Chinese sites in English keep these),
# with the time and offset that may follow: "2021-05-24 10:30", "2021-05-24T10:30:00+08:00"
# The space before the time is optional inside the time group, not eaten before it: re.search
# never backtracks into a match that succeeded, so "24 10:30" would lose its time. "Z" must end
# a word ("10:30 Zhang San" is no UTC).
YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?"
                 r"(?:(?:T|\s*)(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
                 r"\s*(Z(?![A-Za-z])|[+-]\d{2}:?\d{2})?)?")


# dateutil fills the parts a text leaves out from a default, today unless told: "Monday" would
# be the coming Monday, "Dec 28" this year's. Year 1 as the default marks "no year written".
_NO_YEAR = datetime(1, 1, 1)
EARLIEST_YEAR = 1900
FUTURE_SLACK = timedelta(days=1)  # a clock or a zone a little ahead is not a wrong date


class ZoneError(ValueError):
    """An unusable time zone name; `hint` says what to write instead."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


@functools.lru_cache(maxsize=64)
def zone_named(name: str) -> tzinfo:
    """The zone of an IANA name. "UTC" needs no time zone database; others raise ZoneError
    when the name is unknown or the machine has no database to read it from."""
    if name == "UTC":
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise _zone_error(name) from None


def _zone_error(name: str) -> ZoneError:
    known = zoneinfo.available_timezones()
    if not known:
        return ZoneError(
            f"time zone {name!r} cannot be read: this machine has no time zone database",
            "Install it (Debian/Ubuntu: apt-get install tzdata; or pip install tzdata into "
            "tracker's environment), or leave timezone out to read times as UTC.")
    offset = _OFFSET_NAME.fullmatch(name.strip())
    if offset:
        return ZoneError(f"unknown time zone {name!r}", _offset_hint(offset, known))
    guess = _guess(name, known)
    return ZoneError(f"unknown time zone {name!r}",
                     (f'Did you mean "{guess}"? ' if guess else "")
                     + f"Use an IANA name such as {ZONE_EXAMPLES}.")


# "GMT+8", "UTC+08:00", "+8": an offset where a zone was asked for. Never answered with the
# database's Etc/GMT+8, which is UTC-8 (POSIX sign): the mistake would move every time 16 hours.
_OFFSET_NAME = re.compile(r"(?:GMT|UTC)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


def _offset_hint(match: re.Match[str], known: set[str]) -> str:
    sign, hours, minutes = match.groups()
    hint = ("An offset is not a zone: write the IANA name of the site's region, such as "
            f"{ZONE_EXAMPLES}.")
    etc = f"Etc/GMT{'+' if sign == '-' else '-'}{int(hours)}"
    if int(minutes or 0) == 0 and etc in known:
        hint += f' "{etc}" is a fixed UTC{sign}{int(hours)} too (its sign is inverted).'
    return hint


# China's one zone is named after Shanghai: "Asia/Beijing" is the mistake people make.
_CITY_ALIASES = {"beijing": "Asia/Shanghai", "china": "Asia/Shanghai"}


def _guess(name: str, known: set[str]) -> str | None:
    """The zone a wrong name most likely meant: another case, a city, a close spelling."""
    city = name.lower().rsplit("/", 1)[-1].replace(" ", "_")
    by_case = {k.lower(): k for k in known}
    by_city = {k.rsplit("/", 1)[-1].lower(): k for k in sorted(known) if "/" in k}
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
    return (by_case.get(name.lower()) or _CITY_ALIASES.get(city) or by_city.get(city)
            or (close[0] if close else None))


def localize(value: datetime, zone: tzinfo) -> datetime:
    """A naive time is in `zone`; an aware one is the same instant, shown in `zone`."""
    return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)


def read_time(text: str, zone: tzinfo = UTC, **options: Any) -> datetime | None:
    """dateutil's reading of `text` (options such as fuzzy= and default= pass through), in
    `zone`; None when it is not a date."""
    try:  # ISO 8601 (Atom feeds, meta tags, <time datetime>): ~1 us, where dateutil takes ~70
        return localize(datetime.fromisoformat(text), zone)
    except (ValueError, OverflowError):
        pass
    text = _GMT_PLUS.sub(_as_offset, text)
    try:
        with warnings.catch_warnings():  # dateutil warns on odd input; None says enough
            warnings.simplefilter("ignore")
            parsed = dateparser.parse(text, tzinfos=_tzinfos(zone), **options)
    except (ValueError, OverflowError, TypeError):
        return None
    try:
        return localize(parsed, zone)
    except (ValueError, OverflowError):  # year 1 in a zone east of UTC, and the like
        return None


def _as_offset(match: re.Match[str]) -> str:
    sign, hours, minutes = match.groups()
    return f"{sign}{int(hours):02d}:{minutes or '00'}"


@functools.lru_cache(maxsize=64)
def _tzinfos(zone: tzinfo) -> Callable[[str | None, int | None], tzinfo | None]:
    own = _abbreviations(zone)

    def pick(name: str | None, offset: int | None) -> tzinfo | None:
        if name and name.upper() in own:
            return zone
        if name and name.upper() in NAMED:
            return NAMED[name.upper()]
        if offset is not None:
            return timezone(timedelta(seconds=offset))
        # no zone, or a name we do not know: the caller reads it in the source's zone
        return None

    return pick


def _abbreviations(zone: tzinfo) -> frozenset[str]:
    names = {zone.tzname(datetime(2021, month, 1)) for month in (1, 7)}
    return frozenset(n.upper() for n in names if n and n.isalpha())


def read_ymd(text: str, zone: tzinfo = UTC) -> datetime | None:
    """The first year-month-day (and time) in `text`, in `zone`; None when there is none or it
    is not a real date. For the forms dateutil does not read, 2021年5月24日 above all."""
    match = YMD.search(_GMT_PLUS.sub(_as_offset, text))
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        value = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                         int(second or 0), tzinfo=_offset(offset) if offset else None)
        return localize(value, zone)
    except (ValueError, OverflowError):  # 2021-13-45, 25:00, an offset past 24 hours
        return None


def _offset(text: str) -> tzinfo:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def read_date(text: str, zone: tzinfo = UTC, *, now: datetime | None = None,
              fuzzy: bool = False) -> datetime | None:
    """A publication date in `text` (ISO 8601, RFC 822, "May 24, 2021 10:30", 2021年5月24日,
    epoch seconds or milliseconds), in `zone`, the source's; a time written without a zone is
    read there. `fuzzy` allows words around the date. None when there is none, no year is
    written, or it is implausible (see `plausible`). Feeds, listing pages, article pages and
    ingested files all read dates here, so they agree on what counts as one."""
    text = text.strip().strip("[]()")[:100]
    if not text:
        return None
    value = _epoch(text, zone) or read_time(text, zone, default=_NO_YEAR)
    if value is None and YMD.search(text):  # 2021-13-45 is no date, not a fuzzy guess
        value = read_ymd(text, zone)
    elif value is None and fuzzy:
        value = read_time(text, zone, fuzzy=True, default=_NO_YEAR)
    return plausible(value, now)


def plausible(value: datetime | None, now: datetime | None = None) -> datetime | None:
    """`value` unless it is before 1900 (year 1: none was written) or more than a day after
    `now` (default: the clock)."""
    if value is None or value.year < EARLIEST_YEAR:  # the year first: year 1 cannot go to UTC
        return None
    return value if value <= (now or datetime.now(UTC)) + FUTURE_SLACK else None


def has_date(text: str) -> bool:
    """`text` holds a date in a form read here, if only a weekday, a time or 2021-13-45:
    read_date's None then means no year or no real date, and no other reader (feedparser
    makes "10:30" today and 2021-13-45 next year's) should fill one in."""
    return bool(YMD.search(text)) or read_time(text, UTC, default=_NO_YEAR) is not None


def _epoch(text: str, zone: tzinfo) -> datetime | None:
    if not (text.isdigit() and len(text) in (10, 13)):  # seconds or milliseconds
        return None
    try:
        return datetime.fromtimestamp(int(text[:10]), zone)
    except (OverflowError, ValueError, OSError):
        return None
