"""Run every benchmark in bench/ and print one combined table (`make bench`).

    .venv/bin/python bench/run_all.py [--quick] [--only NAME] [--timeout SECONDS]

Each bench/*.py script (this one aside) runs in its own process. With --quick, a script whose
--help offers --quick or --smoke gets that option; every other script runs with its default
arguments. Each script prints its own table; this prints them one after another, then a
summary: script, arguments, exit status, seconds. A script that overruns --timeout is stopped.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
QUICK_OPTIONS = ("--quick", "--smoke")


@dataclass
class Outcome:
    script: str
    args: list[str]
    status: str
    seconds: float
    output: str


def scripts(only: str | None) -> list[Path]:
    found = sorted(p for p in BENCH.glob("*.py") if p.name != Path(__file__).name
                   and not p.name.startswith("_"))
    return [p for p in found if only is None or only in p.stem]


def quick_option(script: Path) -> str | None:
    """The script's own quick/smoke option, read from its --help."""
    try:
        text = subprocess.run([PYTHON, str(script), "--help"], capture_output=True, text=True,
                              timeout=60).stdout
    except subprocess.TimeoutExpired:
        return None
    return next((o for o in QUICK_OPTIONS if o in text.split()), None)


def run(script: Path, quick: bool, timeout: float) -> Outcome:
    option = quick_option(script) if quick else None
    args = [option] if option else []
    started = time.monotonic()
    try:
        done = subprocess.run([PYTHON, str(script), *args], capture_output=True, text=True,
                              timeout=timeout, cwd=BENCH.parent)
        status = "ok" if done.returncode == 0 else f"exit {done.returncode}"
        output = done.stdout + (done.stderr[-2000:] if done.returncode else "")
    except subprocess.TimeoutExpired as exc:
        status = f"timeout {timeout:g}s"
        output = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (
            exc.stdout or "")
    return Outcome(script.name, args, status, time.monotonic() - started, output)


def summary(outcomes: list[Outcome]) -> str:
    rows = [("script", "args", "status", "seconds")] + [
        (o.script, " ".join(o.args) or "(defaults)", o.status, f"{o.seconds:.1f}")
        for o in outcomes]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="pass --quick/--smoke to the scripts that have one")
    ap.add_argument("--only", default=None, help="only scripts whose name contains this")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per script")
    args = ap.parse_args()
    print(f"bench/run_all: {platform.machine()}, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}")
    outcomes = []
    for script in scripts(args.only):
        outcome = run(script, args.quick, args.timeout)
        outcomes.append(outcome)
        print(f"\n== {outcome.script} {' '.join(outcome.args)} ({outcome.status}, "
              f"{outcome.seconds:.1f}s)")
        print(outcome.output.rstrip())
    print("\n== summary")
    print(summary(outcomes))
    return 0 if all(o.status == "ok" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
