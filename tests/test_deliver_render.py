"""Render the HTML digest and an alert in headless Chromium (Debian's `chromium` package).

The PNGs are left in pytest's tmp folder (printed with -s) so a person can look at them.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.conftest_deliver import DAY, mail_config, sample_day
from tracker.deliver.alerts import Alert, matches_after
from tracker.deliver.digest import build_digest
from tracker.deliver.html import render_alert_html, render_html
from tracker.query import parse

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def screenshot(html: str, folder: Path, name: str) -> Path:
    page, png = folder / f"{name}.html", folder / f"{name}.png"
    page.write_text(html, encoding="utf-8")
    profile = folder / f"{name}-profile"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={png}",
         "--window-size=900,1400", page.as_uri()],
        capture_output=True, timeout=60, check=False)
    print(f"rendered {png}")
    return png


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _distinct_colours(path: Path) -> int:
    """A rough check that the page is not blank: count distinct bytes in the image data."""
    return len(set(path.read_bytes()[100:20000]))


def test_digest_renders_in_chromium(db, tmp_path):
    sample_day(db)
    digest = build_digest(db, mail_config(25), DAY.date(), now=DAY.replace(hour=23))
    png = screenshot(render_html(digest), tmp_path, "digest")
    assert png.exists() and png.stat().st_size > 30_000
    assert png_size(png) == (900, 1400)
    assert _distinct_colours(png) > 200


def test_alert_renders_in_chromium(db, tmp_path):
    sample_day(db)
    alert = Alert("china-crackdowns", "type:crackdown place:CN", ["ann@example.org"],
                  parsed=parse("type:crackdown place:CN"))
    png = screenshot(render_alert_html(matches_after(db, alert, 0, 1000)), tmp_path, "alert")
    assert png.exists() and png.stat().st_size > 10_000
    assert png_size(png) == (900, 1400)
