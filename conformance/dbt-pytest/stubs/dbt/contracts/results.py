from dbt._harness import module_getattr, validate_artifact
from dbt.artifacts.schemas.results import FreshnessStatus, NodeStatus, RunStatus, TestStatus  # noqa: F401

__getattr__ = module_getattr(__name__)


class FreshnessExecutionResultArtifact:
    """sources.json; `validate` checks a dict against dbt-core's JSON schema of it (sources/v3)."""

    @classmethod
    def validate(cls, data):
        validate_artifact(data, "sources", "v3", "FreshnessExecutionResultArtifact")
