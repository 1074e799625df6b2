"""The part of freezegun dbt's tests use (freezegun is not installed): `freeze_time(instant)` as a
decorator or context manager. tsdbt runs in its own process, so the instant is its wall clock under
libfaketime's absolute time, which stands still (the harness's CLOCK); the test's own Python clock
is not frozen (dbt's tests compare with fixed datetimes, not with datetime.now())."""
import functools
import os
import re
from datetime import datetime, timezone


def _instant(text):
    m = re.fullmatch(r"(\d{4}-\d\d-\d\d)(?:[T ](\d\d?):(\d\d?)(?::(\d\d?))?)?(Z|[+-]00:?00)?", str(text).strip())
    if not m:
        raise ValueError(f"freeze_time: cannot read {text!r}")
    day, h, mi, s = m.group(1), int(m.group(2) or 0), int(m.group(3) or 0), int(m.group(4) or 0)
    moment = datetime.fromisoformat(day).replace(hour=h, minute=mi, second=s, tzinfo=timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class freeze_time:
    def __init__(self, time_to_freeze, *args, **kwargs):
        self.instant = _instant(time_to_freeze)
        self.previous = []

    def __enter__(self):
        from dbt import _harness
        from dbt.tests.util import HarnessNotApplicable
        if not os.path.exists(_harness.FAKETIME_LIB):
            raise HarnessNotApplicable("freezes the clock (install Debian's faketime to run it)")
        self.previous.append(_harness.CLOCK[0])
        _harness.CLOCK[0] = "=" + self.instant
        return self

    def __exit__(self, *exc):
        from dbt import _harness
        _harness.CLOCK[0] = self.previous.pop()
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self:
                return func(*args, **kwargs)

        return wrapper
