"""dbtRunner over tsdbt's CLI (without callbacks: those need dbt's in-process events)."""
import os
import re
import subprocess
import sys

import click

from dbt.cli.exceptions import ExceptionExit, ResultExit
from dbt._harness import TSDBT_ROOT, HarnessNotApplicable, error_from_output, invoke, module_getattr

__getattr__ = module_getattr(__name__)


class dbtRunnerResult:
    def __init__(self, success, result=None, exception=None):
        self.success, self.result, self.exception = success, result, exception


class dbtRunner:
    def __init__(self, manifest=None, callbacks=None):
        if manifest is not None:
            raise HarnessNotApplicable("dbtRunner with a Python manifest")
        self.callbacks = callbacks or []

    def invoke(self, args, **kwargs):
        if kwargs:
            raise HarnessNotApplicable("dbtRunner.invoke with Python keyword flags")
        code, output, result = invoke(list(args), callbacks=self.callbacks)
        if code >= 2:
            usage = _usage_error(output)
            if usage is not None:
                from dbt.cli.exceptions import DbtUsageException

                return dbtRunnerResult(False, None, DbtUsageException(usage))
            return dbtRunnerResult(False, None, error_from_output(output))
        return dbtRunnerResult(code == 0, result)


# tsdbt's command-line usage errors (commander's, and a flag conflict's in dbt's words): dbt's
# dbtRunner returns click's usage errors (no such option or command, mutually exclusive flags) as
# a DbtUsageException.
_USAGE = re.compile(r"^(error: (unknown option|unknown command|too many arguments|missing required argument|option .* argument missing)|\w+: not allowed with argument \w+$)")


def _usage_error(output):
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return next((line for line in lines if _USAGE.match(line)), None)


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []}
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def cli(args):
    """dbt's click group for click's CliRunner: `tsdbt <args>` in the current directory, as typed
    (no --project-dir added, unlike run_dbt); its output is the command's, its exit code tsdbt's.
    As dbt's commands, it returns when the command succeeded and raises ResultExit (exit 1) or
    ExceptionExit (exit 2) otherwise, so `cli.invoke(ctx)` called directly raises only then."""
    cmd = ["node", os.path.join(TSDBT_ROOT, "bin", "tsdbt.js")] + [str(a) for a in args]
    p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    output = p.stdout + p.stderr
    click.echo(output, nl=False)
    if p.returncode == 0:
        return None
    if p.returncode == 1:
        raise ResultExit(None)
    if p.returncode == 2:
        raise ExceptionExit(error_from_output(output))
    sys.exit(p.returncode)
