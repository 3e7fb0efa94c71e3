"""Dates as news text writes them, resolved against the publication date.

`resolve("last Tuesday", date(2021, 5, 21))` -> ("2021-05-18", "day"). Explicit dates keep
the precision the text gives ("May 2021" -> month, "2017" -> year). Relative dates without
a publication date cannot be resolved and give None.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

Resolved = tuple[str, str]  # (ISO date truncated to its precision, precision)

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_ISO = re.compile(r"\b(?P<y>(19|20)\d\d)-(?P<m>\d\d)(-(?P<d>\d\d))?\b")
_MDY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(st|nd|rd|th)?,?\s+(?P<year>(19|20)\d\d)\b", re.I)
_DMY = re.compile(r"\b(?P<day>\d{1,2})(st|nd|rd|th)?\s+(of\s+)?" + _MONTH
                  + r",?\s+(?P<year>(19|20)\d\d)\b", re.I)
_MY = re.compile(r"\b" + _MONTH + r",?\s+(of\s+)?(?P<year>(19|20)\d\d)\b", re.I)
_MD = re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(st|nd|rd|th)?\b", re.I)
_DM = re.compile(r"\b(?P<day>\d{1,2})(st|nd|rd|th)?\s+(of\s+)?" + _MONTH + r"\b", re.I)
# "in April", "late March", "last September" (the one before publication)
_MONTH_ONLY = re.compile(r"^((in|early|late|last|this)\s+)*(mid-?\s*)?" + _MONTH + r"$", re.I)
# "in April this year", "March of last year"
_MONTH_OF_YEAR = re.compile(
    r"\b" + _MONTH + r",?\s+(of\s+)?(?P<which>this|last|next|previous)\s+year\b", re.I)
_YEAR = re.compile(r"\b(?P<year>(19|20)\d\d)\b")
_WEEKDAY = re.compile(r"\b(?P<which>last|this|next|on|)\s*(?P<wd>" + "|".join(WEEKDAYS) + r")\b",
                      re.I)


def _day(d: date) -> Resolved:
    return d.isoformat(), "day"


def _month(year: int, month: int) -> Resolved:
    return f"{year:04d}-{month:02d}", "month"


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _explicit(text: str) -> Resolved | None:
    m = _ISO.search(text)
    if m:
        if m.group("d"):
            d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
            return _day(d) if d else None
        return _month(int(m["y"]), int(m["m"])) if 1 <= int(m["m"]) <= 12 else None
    for rx in (_MDY, _DMY):
        m = rx.search(text)
        if m:
            d = _safe_date(int(m["year"]), MONTHS[m["month"].lower()], int(m["day"]))
            return _day(d) if d else None
    m = _MY.search(text)
    if m:
        return _month(int(m["year"]), MONTHS[m["month"].lower()])
    return None


def _shift_month(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def _nearest_past(pub: date, month: int, day: int | None) -> date | None:
    """A month (and day) without a year: the latest one on or before publication."""
    year = pub.year if (month, day or 1) <= (pub.month, pub.day) else pub.year - 1
    return _safe_date(year, month, day or 1)


def _weekday(which: str, weekday: int, pub: date, future: bool) -> date:
    back = (pub.weekday() - weekday) % 7
    if which == "last":
        return pub - timedelta(days=back or 7)
    if which == "next" or (future and which != "last"):
        return pub + timedelta(days=(weekday - pub.weekday()) % 7 or 7)
    return pub - timedelta(days=back)


def _relative(text: str, pub: date, future: bool) -> Resolved | None:
    t = text.lower().strip()
    words = {
        "today": 0, "yesterday": -1, "tomorrow": 1, "the day before": -1,
    }
    for word, delta in words.items():
        if re.search(rf"\b{word}\b", t):
            return _day(pub + timedelta(days=delta))
    if re.search(r"\b(this|earlier this|later this|so far this) month\b", t):
        return _month(pub.year, pub.month)
    if re.search(r"\b(last|previous|past) month\b", t):
        return _month(*_shift_month(pub, -1))
    if re.search(r"\bnext month\b", t):
        return _month(*_shift_month(pub, 1))
    m = _MONTH_OF_YEAR.search(t)
    if m:
        shift = {"this": 0, "next": 1}.get(m["which"], -1)
        return _month(pub.year + shift, MONTHS[m["month"]])
    if re.search(r"\b(this|earlier this|later this|so far this) year\b", t):
        return str(pub.year), "year"
    if re.search(r"\b(last|previous|past) year\b", t):
        return str(pub.year - 1), "year"
    if re.search(r"\bnext year\b", t):
        return str(pub.year + 1), "year"
    if re.search(r"\b(last|this|past) week\b", t):
        return _month(*(lambda d: (d.year, d.month))(pub - timedelta(days=7 if "last" in t else 0)))
    m = re.search(r"\b(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten) "
                  r"(day|week|month|year)s? ago\b", t)
    if m:
        return _ago(m.group(1), m.group(2), pub)
    m = _WEEKDAY.search(t)
    if m:
        return _day(_weekday(m["which"].lower(), WEEKDAYS[m["wd"].lower()], pub, future))
    return None


_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _ago(count: str, unit: str, pub: date) -> Resolved:
    n = int(count) if count.isdigit() else _NUMBERS[count]
    if unit == "day":
        return _day(pub - timedelta(days=n))
    if unit == "week":
        return _day(pub - timedelta(days=7 * n))
    if unit == "month":
        return _month(*_shift_month(pub, -n))
    return str(pub.year - n), "year"


def resolve(text: str, published: date | None, future: bool = False) -> Resolved | None:
    """The date `text` names, as (ISO string, precision), or None."""
    found = _explicit(text)
    if found:
        return found
    if published is not None:
        found = _relative(text, published, future)
        if found:
            return found
        for rx in (_MD, _DM):
            m = rx.search(text)
            if m:
                month, day = MONTHS[m["month"].lower()], int(m["day"])
                d = _nearest_past(published, month, day)
                if future and d and d < published:  # "from January 1", written in December
                    d = _safe_date(d.year + 1, month, day)
                return _day(d) if d else None
        m = _MONTH_ONLY.match(text.strip())
        if m:
            d = _nearest_past(published, MONTHS[m["month"].lower()], None)
            return _month(d.year, d.month) if d else None
    m = _YEAR.search(text)
    if m and not re.search(r"\d{5}|%|\$", text):
        return m["year"], "year"
    return None


_AHEAD = re.compile(r"\b(by|until|till|before|through|from|effective|starting|due|next)\W+\S*\W*$",
                    re.I)


def latest_mentioned(text: str) -> date | None:
    """The latest day or month a text names outright, not as a deadline ("by June 2025"):
    for a text with no publication date, the nearest thing to when it was written."""
    found = []
    for rx in (_ISO, _MDY, _DMY, _MY):
        for m in rx.finditer(text):
            if _AHEAD.search(text[max(0, m.start() - 20):m.start()]):
                continue
            resolved = _explicit(m.group())
            if resolved:
                found.append(to_date(resolved))
    return max(found, default=None)


def to_date(resolved: Resolved) -> date:
    """The first day a resolved date covers (for comparing with the publication date)."""
    value, _ = resolved
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])
