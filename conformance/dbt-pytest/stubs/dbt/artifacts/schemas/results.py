"""dbt's result statuses, as the strings run_results.json holds."""
from dbt._harness import StatusEnum, module_getattr

__getattr__ = module_getattr(__name__)


class RunStatus(StatusEnum):
    Success = "success"
    Error = "error"
    Skipped = "skipped"
    PartialSuccess = "partial success"
    NoOp = "no-op"


class TestStatus(StatusEnum):
    __test__ = False
    Pass = "pass"
    Error = "error"
    Fail = "fail"
    Warn = "warn"
    Skipped = "skipped"


class FreshnessStatus(StatusEnum):
    Pass = "pass"
    Warn = "warn"
    Error = "error"
    RuntimeErr = "runtime error"


class NodeStatus(StatusEnum):
    Success = "success"
    Error = "error"
    Fail = "fail"
    Warn = "warn"
    Skipped = "skipped"
    PartialSuccess = "partial success"
    Pass = "pass"
    RuntimeErr = "runtime error"
    NoOp = "no-op"
