"""dbtRunner over tsdbt's CLI (without callbacks: those need dbt's in-process events)."""
import os
import subprocess
import sys

import click

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
            return dbtRunnerResult(False, None, error_from_output(output))
        return dbtRunnerResult(code == 0, result)


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []}
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def cli(args):
    """dbt's click group for click's CliRunner: `tsdbt <args>` in the current directory, as typed
    (no --project-dir added, unlike run_dbt); its output is the command's, its exit code tsdbt's."""
    cmd = ["node", os.path.join(TSDBT_ROOT, "bin", "tsdbt.js")] + [str(a) for a in args]
    p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    click.echo(p.stdout + p.stderr, nl=False)
    sys.exit(p.returncode)
