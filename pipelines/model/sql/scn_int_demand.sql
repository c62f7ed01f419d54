-- materialized: view
-- Incremental scenario: int_demand with the base's rows of the changed PMC-periods (scn_delta_base)
-- replaced by their recomputed rows (scn_delta_demand, int_demand.sql on scn_delta_forecast alone).
with kept as (
    select base.*
    from int_demand as base
    anti join scn_delta_base as changed on changed.product = base.product
        and changed.market = base.market and changed.period = base.period
),

final as (
    select * from kept
    union all
    select * from scn_delta_demand
)

select * from final
