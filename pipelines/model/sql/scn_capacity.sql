-- materialized: table
-- Scenario overlay of stg_capacity: each capacity change adds its hours (negative removes) to the
-- line's available and maximum hours in every period of the horizon inside its window, never
-- below 0; a line-period without capacity gains a row only when hours are added.
with params as (
    select grain from model_params
),

periods as (
    select period, period_start from stg_periods
),

changed as (
    select
        changes.line,
        periods.period,
        periods.period_start,
        sum(changes.hours) as hours
    from scenario_changes as changes
    cross join params
    join periods on (changes.from_start is null
                     or periods.period_start >= grain_start(changes.from_start, params.grain))
        and (changes.to_end is null or periods.period_start <= changes.to_end)
    where changes.kind = 'capacity'
    group by all
),

final as (
    select
        coalesce(capacity.line, changed.line) as line,
        coalesce(capacity.period, changed.period) as period,
        coalesce(capacity.period_start, changed.period_start) as period_start,
        case when changed.hours is null then capacity.available_hours
             else greatest(0, coalesce(capacity.available_hours, 0) + changed.hours) end
            as available_hours,
        case when changed.hours is null or capacity.max_hours is null then capacity.max_hours
             else greatest(0, capacity.max_hours + changed.hours) end as max_hours
    from stg_capacity as capacity
    full outer join changed on changed.line = capacity.line and changed.period = capacity.period
    where capacity.line is not null or changed.hours > 0
)

select * from final
