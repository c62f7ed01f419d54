-- materialized: table
-- Line-periods with clearly reduced capacity (maintenance, holidays): below 80 % of the line's
-- usual (median) hours, or none at all.
with load as (
    select * from mart_load
),

usual as (
    select line, median(available_hours) as usual_hours
    from load
    where available_hours > 0
    group by line
),

final as (
    select load.line, load.period, load.period_start, load.available_hours, usual.usual_hours
    from load
    join usual using (line)
    where coalesce(load.available_hours, 0) < 0.8 * usual.usual_hours
)

select * from final
