"""dbt.materializations: what dbt's tests call of the microbatch builder."""
