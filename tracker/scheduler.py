"""APScheduler jobs for the daemon. Jobs only call the daemon's run functions; this module
decides when: each source on its own schedule (slower while it is broken), the digest at its
time of day in its time zone, and the outbox on a short interval.

Fetch jobs run on the "fetch" executor, a pool of http.concurrency threads, so one hanging
source holds one thread and the others keep their schedules; digest and outbox jobs run on
their own one-thread "deliver" executor so a slow SMTP server never delays a fetch.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from .config import Config
from .errors import ConfigError
from .models import Source
from .sources import parse_schedule

__all__ = ["FETCH", "DELIVER", "DIGEST_JOB", "DELIVER_JOB", "Pace", "make_scheduler",
           "source_job_id", "source_pace", "schedule_source", "sync_source_jobs",
           "schedule_digest", "schedule_deliver", "digest_time", "describe_seconds"]

FETCH, DELIVER = "fetch", "deliver"
DIGEST_JOB, DELIVER_JOB = "digest", "deliver"
SOURCE_PREFIX = "source:"


@dataclass(frozen=True)
class Pace:
    """A source job's trigger and how to say it: "every 30m", "every 2h (broken: 4x slower)"."""

    trigger: BaseTrigger
    text: str
    seconds: float  # the (approximate, for cron) time between two runs


def make_scheduler(config: Config) -> BackgroundScheduler:
    return BackgroundScheduler(
        executors={FETCH: ThreadPoolExecutor(config["http.concurrency"]),
                   DELIVER: ThreadPoolExecutor(1)},
        job_defaults={"max_instances": 1, "coalesce": True,
                      "misfire_grace_time": config["daemon.misfire_grace"]},
        timezone=UTC,
    )


def source_job_id(name: str) -> str:
    return SOURCE_PREFIX + name


def describe_seconds(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"every {int(seconds // size)}{unit}"
    return f"every {seconds:g}s"


def _cron_period(trigger: CronTrigger, now: datetime) -> float:
    first = trigger.get_next_fire_time(None, now)
    second = trigger.get_next_fire_time(first, first + timedelta(seconds=1)) if first else None
    return (second - first).total_seconds() if first and second else 86400.0


def source_pace(source: Source, config: Config, broken: bool = False) -> Pace:
    """The trigger a source runs on; a broken source runs broken_factor times less often."""
    schedule = parse_schedule(source.schedule)
    jitter = max(0, config["daemon.jitter"]) or None
    scale = config["daemon.time_scale"]
    if scale <= 0:
        raise ConfigError("daemon.time_scale must be above 0", hint="Leave it at 1.")
    if schedule.interval is not None:
        seconds = max(1.0, schedule.interval / scale)
        text = source.schedule if scale == 1 else describe_seconds(seconds)
        if not broken:
            return Pace(IntervalTrigger(seconds=seconds, jitter=jitter), text, seconds)
    else:
        trigger = CronTrigger.from_crontab(schedule.cron, timezone=UTC)
        seconds, text = _cron_period(trigger, datetime.now(UTC)), f"cron {schedule.cron} UTC"
        trigger.jitter = jitter  # after measuring the period, which jitter would blur
        if not broken:
            return Pace(trigger, text, seconds)
    factor = max(1.0, config["daemon.broken_factor"])
    slow = seconds * factor
    return Pace(IntervalTrigger(seconds=slow, jitter=jitter),
                f"{describe_seconds(slow)} (broken: {factor:g}x slower than {text})", slow)


def first_run(pace: Pace, config: Config, now: datetime, last_fetch: datetime | None = None,
              broken: bool = False) -> datetime:
    """When a job first runs after the daemon starts: soon (spread by the jitter) for a healthy
    source, so a restart catches up at once; a broken one waits out its slow pace."""
    if broken and last_fetch is not None:
        return max(now, last_fetch + timedelta(seconds=pace.seconds))
    spread = min(max(0, config["daemon.jitter"]), pace.seconds)
    return now + timedelta(seconds=random.uniform(0, spread))


def schedule_source(scheduler: BackgroundScheduler, source: Source, pace: Pace,
                    func: Callable[[str], None], next_run: datetime | None = None) -> None:
    kwargs = {"next_run_time": next_run} if next_run is not None else {}
    scheduler.add_job(func, pace.trigger, args=[source.name], id=source_job_id(source.name),
                      name=pace.text, executor=FETCH, replace_existing=True, **kwargs)


def sync_source_jobs(scheduler: BackgroundScheduler, sources: Iterable[Source],
                     paces: dict[str, Pace], func: Callable[[str], None],
                     first: Callable[[Source, Pace], datetime]) -> tuple[list[str], list[str],
                                                                        list[str]]:
    """Make the scheduler's source jobs match `sources` (after a reload): (added, removed,
    rescheduled) names. A job whose schedule did not change keeps its next run time."""
    wanted = {s.name: s for s in sources if s.enabled}
    current = {j.id[len(SOURCE_PREFIX):]: j for j in scheduler.get_jobs()
               if j.id.startswith(SOURCE_PREFIX)}
    added, removed, changed = [], [], []
    for name, job in current.items():
        if name not in wanted:
            job.remove()
            removed.append(name)
    for name, source in wanted.items():
        pace = paces[name]
        if name not in current:
            schedule_source(scheduler, source, pace, func, first(source, pace))
            added.append(name)
        elif current[name].name != pace.text:
            current[name].reschedule(pace.trigger)
            current[name].modify(name=pace.text)
            changed.append(name)
    return added, removed, changed


def digest_time(config: Config) -> tuple[int, int]:
    text = str(config["digest.time"]).strip()
    try:
        hour, minute = (int(part) for part in text.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError(text)
    except ValueError:
        raise ConfigError(f"digest.time {text!r} is not a time of day",
                          hint='Write it as HH:MM, for example time = "07:00".') from None
    return hour, minute


def schedule_digest(scheduler: BackgroundScheduler, config: Config,
                    func: Callable[[], None]) -> None:
    from .deliver.digest import zone

    hour, minute = digest_time(config)
    text = f"daily at {hour:02d}:{minute:02d} {config['digest.timezone']}"
    scheduler.add_job(func, CronTrigger(hour=hour, minute=minute, timezone=zone(config)),
                      id=DIGEST_JOB, name=text, executor=DELIVER, replace_existing=True)


def schedule_deliver(scheduler: BackgroundScheduler, config: Config,
                     func: Callable[[], None]) -> None:
    seconds = max(1, config["daemon.deliver_every"])
    scheduler.add_job(func, IntervalTrigger(seconds=seconds), id=DELIVER_JOB,
                      name=f"{describe_seconds(seconds)} (and after each fetch with news)",
                      executor=DELIVER, replace_existing=True)
