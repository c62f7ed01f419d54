-- materialized: table
-- Incremental scenario: mart_kpi_periods with the touched periods taken from their recomputed rows
-- (scn_delta_kpi_periods, mart_kpi_periods.sql on scn_gaps_in_periods and scn_load_in_periods).
with kept as (
    select base.*
    from mart_kpi_periods as base
    anti join scn_touched_periods as touched on touched.period_start = base.period_start
),

final as (
    select * from kept
    union all
    select * from scn_delta_kpi_periods
)

select * from final
