-- materialized: view
-- Incremental scenario: the scenario's demand rows on the touched line-periods (all of them, so
-- int_class_hours.sql allocates those line-periods exactly as a full rebuild would), restricted
-- before the changed rows are laid on.
with base_rows as (
    select base.*
    from int_demand as base
    semi join scn_touched_line_periods as touched on touched.line = base.line
        and touched.period = base.period
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
    semi join scn_touched_line_periods as touched on touched.line = delta.line
        and touched.period = delta.period
)

select * from final
