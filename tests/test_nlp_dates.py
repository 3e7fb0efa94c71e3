from datetime import date

import pytest

from tracker.nlp.dates import resolve

PUB = date(2021, 5, 21)  # a Friday


@pytest.mark.parametrize("text, expected", [
    ("last Tuesday", ("2021-05-18", "day")),
    ("on Tuesday", ("2021-05-18", "day")),
    ("Friday", ("2021-05-21", "day")),
    ("yesterday", ("2021-05-20", "day")),
    ("earlier this month", ("2021-05", "month")),
    ("last month", ("2021-04", "month")),
    ("last year", ("2020", "year")),
    ("three years ago", ("2018", "year")),
    ("2017", ("2017", "year")),
    ("September 2017", ("2017-09", "month")),
    ("May 18, 2021", ("2021-05-18", "day")),
    ("18 May 2021", ("2021-05-18", "day")),
    ("2021-05-01", ("2021-05-01", "day")),
    ("June 3", ("2020-06-03", "day")),  # a month-day after publication is last year's
    ("in March", ("2021-03", "month")),
    ("in April this year", ("2021-04", "month")),
    ("March of last year", ("2020-03", "month")),
])
def test_dates_resolve_against_publication(text, expected):
    assert resolve(text, PUB) == expected


def test_dates_future_reading_for_planned_events():
    assert resolve("January 1", date(2024, 12, 24), future=True) == ("2025-01-01", "day")
    assert resolve("next Tuesday", PUB) == ("2021-05-25", "day")


def test_dates_relative_without_publication_date_is_unknown():
    assert resolve("last Tuesday", None) is None
    assert resolve("2019", None) == ("2019", "year")


@pytest.mark.parametrize("text", ["the 1990s", "February 30, 2021", "some time", ""])
def test_dates_unresolvable(text):
    assert resolve(text, PUB) is None


def test_latest_mentioned_skips_deadlines():
    """A text with no publication date is dated, for news versus background, by the latest
    day or month it names outright; deadlines and targets do not count."""
    from tracker.nlp.dates import latest_mentioned
    text = ("He was appointed in February 2007. On 4 March 2016 the ministry said the rules "
            "take effect by June 30, 2025, and apply from January 2026.")
    assert latest_mentioned(text) == date(2016, 3, 4)
    assert latest_mentioned("No dates here, only a target for 2030.") is None
