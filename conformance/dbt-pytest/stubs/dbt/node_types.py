"""dbt's resource types and access levels, as the strings manifest.json holds."""
from dbt._harness import StatusEnum, module_getattr

__getattr__ = module_getattr(__name__)


class NodeType(StatusEnum):
    Model = "model"
    Analysis = "analysis"
    Test = "test"
    Snapshot = "snapshot"
    Operation = "operation"
    Seed = "seed"
    RPCCall = "rpc"
    SqlOperation = "sql_operation"
    Documentation = "doc"
    Source = "source"
    Macro = "macro"
    Exposure = "exposure"
    Metric = "metric"
    Group = "group"
    SavedQuery = "saved_query"
    SemanticModel = "semantic_model"
    Unit = "unit_test"
    Fixture = "fixture"
    Function = "function"


class AccessType(StatusEnum):
    """dbt's model access levels (dbt/artifacts/resources/types.py): equal to manifest.json's `access`."""

    Private = "private"
    Protected = "protected"
    Public = "public"
