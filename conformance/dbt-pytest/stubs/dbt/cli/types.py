"""dbt.cli.types.Command: dbt's command enum, as dbt-core 1.11 defines it."""
from enum import Enum

from dbt._harness import module_getattr

__getattr__ = module_getattr(__name__)


class Command(Enum):
    BUILD = "build"
    CLEAN = "clean"
    COMPILE = "compile"
    CLONE = "clone"
    DOCS_GENERATE = "generate"
    DOCS_SERVE = "serve"
    DEBUG = "debug"
    DEPS = "deps"
    INIT = "init"
    LIST = "list"
    PARSE = "parse"
    RUN = "run"
    RUN_OPERATION = "run-operation"
    SEED = "seed"
    SHOW = "show"
    SNAPSHOT = "snapshot"
    SOURCE_FRESHNESS = "freshness"
    TEST = "test"
    RETRY = "retry"

    @classmethod
    def from_str(cls, s):
        return cls(s)

    def to_list(self):
        return {
            Command.DOCS_GENERATE: ["docs", "generate"],
            Command.DOCS_SERVE: ["docs", "serve"],
            Command.SOURCE_FRESHNESS: ["source", "freshness"],
        }.get(self, [self.value])
