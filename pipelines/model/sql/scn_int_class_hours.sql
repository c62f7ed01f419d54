-- materialized: table
-- Incremental scenario: int_class_hours with the touched line-periods taken from their recomputed
-- rows (scn_delta_class_hours, int_class_hours.sql on scn_touched_demand).
with kept as (
    select base.*
    from int_class_hours as base
    anti join scn_touched_line_periods as touched on touched.line = base.line
        and touched.period = base.period
),

final as (
    select * from kept
    union all
    select * from scn_delta_class_hours
)

select * from final
