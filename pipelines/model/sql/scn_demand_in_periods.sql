-- materialized: view
-- Incremental scenario: the scenario's demand rows in the touched periods (mart_gaps.sql on them
-- gives the gaps mart_kpi_periods.sql sums there), restricted before the changed rows are laid on.
with base_rows as (
    select base.*
    from int_demand as base
    semi join scn_touched_periods as touched on touched.period_start = base.period_start
),

kept as (
    select base_rows.*
    from base_rows
    anti join scn_delta_forecast as changed on changed.product = base_rows.product
        and changed.market = base_rows.market and changed.period = base_rows.period
),

final as (
    select * from kept
    union all
    select delta.*
    from scn_delta_demand as delta
    semi join scn_touched_periods as touched on touched.period_start = delta.period_start
)

select * from final
