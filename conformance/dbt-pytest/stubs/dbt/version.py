"""dbt.version.__version__: the dbt version tsdbt writes in its artifacts (src/manifest/dbt-version.ts)."""
import os
import re

from dbt._harness import TSDBT_ROOT, module_getattr

__getattr__ = module_getattr(__name__)

with open(os.path.join(TSDBT_ROOT, "src", "manifest", "dbt-version.ts")) as _f:
    __version__ = re.search(r"DBT_VERSION = '([^']+)'", _f.read()).group(1)
