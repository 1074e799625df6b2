"""dbt.deprecations: tests reset it between classes; tsdbt keeps no such state in the test process."""
from dbt._harness import HarnessNotApplicable, module_getattr

__getattr__ = module_getattr(__name__)

class _InProcess:
    """dbt's record of the deprecations it fired in this Python process: tsdbt runs in another."""

    def __contains__(self, item):
        raise HarnessNotApplicable("reads dbt.deprecations.active_deprecations")

    __getitem__ = __iter__ = __len__ = __eq__ = get = items = __contains__


active_deprecations = _InProcess()


def reset_deprecations():
    pass
