"""dbtRunner over tsdbt's CLI (without callbacks: those need dbt's in-process events)."""
from dbt._harness import HarnessNotApplicable, error_from_output, invoke, module_getattr

__getattr__ = module_getattr(__name__)


class dbtRunnerResult:
    def __init__(self, success, result=None, exception=None):
        self.success, self.result, self.exception = success, result, exception


class dbtRunner:
    def __init__(self, manifest=None, callbacks=None):
        if manifest is not None or callbacks:
            raise HarnessNotApplicable("dbtRunner with a Python manifest or event callbacks")

    def invoke(self, args, **kwargs):
        if kwargs:
            raise HarnessNotApplicable("dbtRunner.invoke with Python keyword flags")
        code, output, result = invoke(list(args))
        if code >= 2:
            return dbtRunnerResult(False, None, error_from_output(output))
        return dbtRunnerResult(code == 0, result)
