"""dbt's SampleWindow as a value: dbt's tests compare a log line with its text, an attrs
dataclass's repr of two pytz-UTC datetimes (`tzinfo=<UTC>`)."""
from dataclasses import dataclass
from datetime import datetime


def _repr(moment):
    text = repr(moment.replace(tzinfo=None))
    return text[:-1] + ", tzinfo=<UTC>)" if moment.tzinfo is not None else text


@dataclass
class SampleWindow:
    start: datetime
    end: datetime

    def __repr__(self):
        return f"SampleWindow(start={_repr(self.start)}, end={_repr(self.end)})"

    __str__ = __repr__
