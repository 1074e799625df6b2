"""Stand-in for dbt-core's Python package: the harness runs tsdbt's CLI instead (see README.md)."""
from dbt._harness import install_stub_finder, module_getattr

install_stub_finder()
__getattr__ = module_getattr(__name__)
