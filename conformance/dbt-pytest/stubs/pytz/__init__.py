"""The part of pytz dbt's tests use (pytz is not installed): UTC and timezone(name)."""
import datetime
import zoneinfo

UTC = utc = datetime.timezone.utc


def timezone(name):
    return UTC if name.upper() == "UTC" else zoneinfo.ZoneInfo(name)
