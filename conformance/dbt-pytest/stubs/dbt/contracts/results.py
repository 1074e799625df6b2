from dbt._harness import module_getattr
from dbt.artifacts.schemas.results import FreshnessStatus, NodeStatus, RunStatus, TestStatus  # noqa: F401

__getattr__ = module_getattr(__name__)
