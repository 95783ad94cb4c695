"""Celery app for the comparative benchmark: beat with the default scheduler (PersistentScheduler),
a Redis broker and one beat_schedule entry per job, read from the JSON file in BENCH_SCHEDULE:
{"broker": url, "queue": name, "jobs": [[period_s, offset_s], ...]}.

Each entry uses `aligned`, a celery.schedules.schedule whose instants are k * period + offset
(epoch seconds), the same instants as the cron patterns the other systems get (Celery's crontab
has no seconds field)."""
import json
import math
import os
import time
from datetime import timedelta

from celery import Celery
from celery.schedules import schedstate, schedule

with open(os.environ["BENCH_SCHEDULE"], encoding="utf8") as file:
    config = json.load(file)


class aligned(schedule):
    def __init__(self, period, offset, app=None):
        self.period = period
        self.offset = offset
        super().__init__(run_every=timedelta(seconds=period), app=app)

    def is_due(self, last_run_at):
        now = time.time()
        latest = math.floor((now - self.offset) / self.period) * self.period + self.offset
        next_in = latest + self.period - now
        return schedstate(latest > last_run_at.timestamp(), next_in)

    def __reduce__(self):
        return (self.__class__, (self.period, self.offset))

    def __eq__(self, other):
        return isinstance(other, aligned) and (self.period, self.offset) == (other.period, other.offset)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None


app = Celery("bench", broker=config["broker"])
app.conf.task_default_queue = config["queue"]
app.conf.enable_utc = True
app.conf.beat_schedule = {
    f"job-{i}": {"task": "bench.tick", "schedule": aligned(period, offset), "args": (i,)}
    for i, (period, offset) in enumerate(config["jobs"])
}


@app.task(name="bench.tick")
def tick(i):
    return i
