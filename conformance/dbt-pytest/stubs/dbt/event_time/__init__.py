"""dbt.event_time: the sample window's value class (sample_window.py)."""
