"""dbt.artifacts.resources.types: the resource-type enum (the same one as dbt.node_types)."""
from dbt._harness import module_getattr
from dbt.node_types import NodeType  # noqa: F401

__getattr__ = module_getattr(__name__)
