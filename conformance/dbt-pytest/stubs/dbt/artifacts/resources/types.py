"""dbt.artifacts.resources.types: the resource-type enum (the same one as dbt.node_types)."""
from dbt._harness import module_getattr
from enum import Enum

from dbt.node_types import NodeType  # noqa: F401


class BatchSize(str, Enum):
    """dbt's microbatch batch sizes (a StrEnum)."""

    hour = "hour"
    day = "day"
    month = "month"
    year = "year"

    def __str__(self):
        return self.value

    def plural(self):
        return str(self) + "s"

class FunctionType(str, Enum):
    """dbt's function types (a StrEnum): equal to manifest.json's `config.type`."""

    Scalar = "scalar"
    Aggregate = "aggregate"
    Table = "table"

    def __str__(self):
        return self.value


class FunctionVolatility(str, Enum):
    """dbt's function volatilities (a StrEnum): equal to manifest.json's `config.volatility`."""

    Deterministic = "deterministic"
    Stable = "stable"
    NonDeterministic = "non-deterministic"

    def __str__(self):
        return self.value


__getattr__ = module_getattr(__name__)
