"""dbt's MicrobatchBuilder.format_batch_start (a batch id's text), which dbt's tests call to name
the batches they expect; tsdbt's batches are named the same way."""
from dbt.artifacts.resources.types import BatchSize


class MicrobatchBuilder:
    @staticmethod
    def format_batch_start(batch_start, batch_size):
        if batch_size == BatchSize.year:
            return batch_start.strftime("%Y")
        if batch_size == BatchSize.month:
            return batch_start.strftime("%Y-%m")
        if batch_size == BatchSize.day:
            return batch_start.strftime("%Y-%m-%d")
        return batch_start.strftime("%Y-%m-%dT%H")
