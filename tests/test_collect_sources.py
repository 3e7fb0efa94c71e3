"""Loading and validating sources: every mistake names the file, the line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.config import Config, load_config
from tracker.errors import RuleError
from tracker.sources import load_sources, parse_schedule, rhythm_days, sync_sources
from tracker.store.db import connect

ROOT = Path(__file__).resolve().parents[1]

GOOD = """\
# two sources
[[source]]
name = "reg-feed"
kind = "feed"
url = "https://regulator.test/press.rss"
schedule = "every 30m"
rhythm = "daily"
jurisdiction = "US"

[[source]]
name = "agency-list"
kind = "page"
url = "https://agency.test/news/"
schedule = "0 */6 * * *"
rhythm = "every 3d"
selectors = { item = "ul.u-list li", date = "span", body = "div.TRS_Editor" }
"""


def config_with(tmp_path: Path, text: str) -> Config:
    (tmp_path / "sources.toml").write_text(text, encoding="utf-8")
    return Config(values={"rules.sources": str(tmp_path / "sources.toml")}, base=tmp_path)


def rule_error(tmp_path: Path, text: str) -> RuleError:
    with pytest.raises(RuleError) as info:
        load_sources(config_with(tmp_path, text))
    return info.value


def test_sources_load_with_defaults_and_selectors(tmp_path):
    feed, page = load_sources(config_with(tmp_path, GOOD))
    assert (feed.name, feed.kind, feed.schedule, feed.jurisdiction) == (
        "reg-feed", "feed", "every 30m", "US")
    assert feed.selectors is None and feed.language == "en" and feed.enabled
    assert page.selectors.item == "ul.u-list li" and page.selectors.link == "a"
    assert page.selectors.body == "div.TRS_Editor" and page.selectors.title is None
    assert page.origin.endswith("sources.toml:10")


@pytest.mark.parametrize("text, line, words", [
    (GOOD.replace('kind = "feed"', 'kind = "rss"'), 4, "kind 'rss' is not feed or page"),
    (GOOD.replace('url = "https://agency.test/news/"\n', ""), 10, "'url' is required"),
    (GOOD.replace('schedule = "every 30m"', 'schedule = "every 30s"'), 6, "bad schedule"),
    (GOOD.replace('"0 */6 * * *"', '"0 */6 * *"'), 14, "5-field cron"),
    (GOOD.replace('"0 */6 * * *"', '"99 * * * *"'), 14, "bad schedule"),
    (GOOD.replace('rhythm = "daily"', 'rhythm = "hourly"'), 7, "bad rhythm"),
    (GOOD.replace('jurisdiction = "US"', 'jurisdiction = "US"\ncolour = "red"'), 9,
     "unknown key 'colour'"),
    (GOOD.replace('item = "ul.u-list li", ', ""), 16, "selectors.item"),
    (GOOD.replace('"ul.u-list li"', '"ul[[li"'), 16, "not valid CSS"),
    (GOOD.replace('date = "span"', 'when = "span"'), 16, "unknown selector 'when'"),
    (GOOD.replace("agency-list", "reg-feed"), 10, "already used at"),
    (GOOD.replace('name = "reg-feed"', 'name = "Reg Feed"'), 3, "must be lower-case"),
    (GOOD.replace("https://regulator.test/press.rss", "ftp://x/y"), 5, "not an http(s) URL"),
    (GOOD.replace('kind = "feed"', 'kind = "feed"\nfull_text = "yes"'), 5, "must be a bool"),
    (GOOD + "[broken\n", 17, "not valid TOML"),
    (GOOD.replace('rhythm = "daily"', 'rhythm = "daily"\ntimezone = "Asia/Beijing"'), 8,
     "bad timezone: unknown time zone 'Asia/Beijing'"),
    (GOOD.replace('rhythm = "daily"', 'rhythm = "daily"\ntimezone = 8'), 8, "must be a str"),
])
def test_sources_errors_name_file_line_and_problem(tmp_path, text, line, words):
    err = rule_error(tmp_path, text)
    assert err.line == line, str(err)
    assert words in str(err) and str(err).startswith(str(tmp_path / "sources.toml"))


def test_sources_timezone_is_carried_and_defaults_to_utc(tmp_path):
    text = GOOD.replace('rhythm = "every 3d"', 'rhythm = "every 3d"\ntimezone = "Asia/Shanghai"')
    feed, page = load_sources(config_with(tmp_path, text))
    assert (feed.timezone, page.timezone) == ("UTC", "Asia/Shanghai")
    err = rule_error(tmp_path, text.replace("Asia/Shanghai", "asia/shanghai"))
    assert err.line == 16 and err.hint.startswith('Did you mean "Asia/Shanghai"?')


def test_sources_bad_timezone_in_the_cli_exits_2_saying_what_to_write(tmp_path):
    text = GOOD.replace('rhythm = "daily"', 'rhythm = "daily"\ntimezone = "Beijing"')
    (tmp_path / "sources.toml").write_text(text, encoding="utf-8")
    (tmp_path / "tracker.toml").write_text(f'[rules]\nsources = "{tmp_path / "sources.toml"}"\n')
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "t.db"), "--config",
                                       str(tmp_path / "tracker.toml"), "sources", "list"])
    assert result.exit_code == 2, result.output
    assert (f"{tmp_path / 'sources.toml'}:8: source #1 'reg-feed': bad timezone: unknown time "
            "zone 'Beijing'") in result.output
    assert 'Use an IANA name such as "Asia/Shanghai" (Beijing time)' in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(
        result.exception, SystemExit)


def test_sources_page_without_selectors_says_how_to_add_them(tmp_path):
    text = GOOD.replace('selectors = { item = "ul.u-list li", date = "span", body = '
                        '"div.TRS_Editor" }\n', "")
    err = rule_error(tmp_path, text)
    assert err.line == 10 and "selectors = { item =" in (err.hint or "")


def test_sources_from_tracker_toml_join_the_file(tmp_path):
    (tmp_path / "tracker.toml").write_text(
        '[http]\nhost_delay = 2.0\n\n[[sources]]\nname = "extra"\nkind = "feed"\n'
        'url = "https://extra.test/feed"\n\n[[sources]]\nname = "bad"\nkind = "page"\n'
        'url = "https://extra.test/list"\n', encoding="utf-8")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "sources.toml").write_text(GOOD, encoding="utf-8")
    config = load_config(tmp_path / "tracker.toml", env={})
    with pytest.raises(RuleError) as info:
        load_sources(config)
    assert info.value.line == 9 and "tracker.toml" in str(info.value)
    text = (tmp_path / "tracker.toml").read_text().replace('kind = "page"', 'kind = "feed"')
    (tmp_path / "tracker.toml").write_text(text)
    names = [s.name for s in load_sources(load_config(tmp_path / "tracker.toml", env={}))]
    assert names == ["reg-feed", "agency-list", "extra", "bad"]


def test_sources_missing_default_file_is_no_sources_but_missing_named_file_is_an_error(tmp_path):
    assert load_sources(Config(base=tmp_path)) == []
    with pytest.raises(RuleError, match="does not exist"):
        load_sources(Config(values={"rules.sources": "nope.toml"}, base=tmp_path))


def test_sources_schedule_and_rhythm_parsing():
    assert parse_schedule("every 6h").interval == 6 * 3600
    assert parse_schedule("*/15 * * * 1-5").cron == "*/15 * * * 1-5"
    assert rhythm_days("weekly") == 7 and rhythm_days("every 3d") == 3
    with pytest.raises(ValueError):
        rhythm_days("every 0d")


def test_sources_shipped_file_is_valid_and_covers_the_kinds_of_source():
    sources = load_sources(Config(base=ROOT))
    assert len(sources) >= 15
    names = {s.name for s in sources}
    assert {"sec-press", "fed-press", "ecb-press", "ndrc-press", "ccdi-english"} <= names
    pages = [s for s in sources if s.kind == "page"]
    assert pages and all(s.selectors and s.selectors.item for s in pages)
    assert {s.jurisdiction for s in sources} >= {"US", "EU", "GB", "CN", "SG"}
    # Chinese sites write Beijing time without saying so
    assert {s.timezone for s in sources if s.jurisdiction == "CN"} == {"Asia/Shanghai"}


def test_sources_sync_upserts_config_and_keeps_status(tmp_path):
    db = connect(tmp_path / "t.db")
    feed, page = load_sources(config_with(tmp_path, GOOD))
    sync_sources(db, [feed, page])
    db.execute("UPDATE sources SET status = 'failing', consecutive_failures = 2 "
               "WHERE name = 'reg-feed'")
    feed.url = "https://regulator.test/new.rss"
    sync_sources(db, [feed])
    rows = {r[0]: r[1:] for r in db.execute(
        "SELECT name, url, status, consecutive_failures, enabled FROM sources")}
    assert rows["reg-feed"] == ("https://regulator.test/new.rss", "failing", 2, 1)
    assert rows["agency-list"][-1] == 0  # no longer configured: disabled, not deleted
    db.conn.close()
