from dbt._harness import ExposureConfig, Obj, SourceConfig, module_getattr  # noqa: F401 (dbt.artifacts.resources' config classes)


class FunctionReturns(Obj):
    """dbt's FunctionReturns (artifacts/resources/v1/function.py): data_type, description (None);
    a dict, so it equals the `returns` object manifest.json holds."""

    def __init__(self, data_type, description=None):
        super().__init__(data_type=data_type, description=description)


__getattr__ = module_getattr(__name__)
