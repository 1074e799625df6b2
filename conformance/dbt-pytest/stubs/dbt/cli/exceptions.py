"""dbt.cli.exceptions' exit exceptions, as dbt-core 1.11 defines them: what `cli` raises when the
command did not succeed (click turns them into the exit code; `show` prints nothing)."""
from click.exceptions import ClickException

from dbt._harness import module_getattr

__getattr__ = module_getattr(__name__)


class CliException(ClickException):
    def __init__(self, exit_code):
        self.exit_code = exit_code

    def show(self, _file=None):
        pass


class ResultExit(CliException):
    """A command that ran but did not succeed (dbt's ExitCodes.ModelError, 1)."""

    def __init__(self, result=None):
        super().__init__(1)
        self.result = result


class ExceptionExit(CliException):
    """A command stopped by an error (dbt's ExitCodes.UnhandledError, 2)."""

    def __init__(self, exception):
        super().__init__(2)
        self.exception = exception
