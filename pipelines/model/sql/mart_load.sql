-- materialized: table
-- One row per line-period with demand or capacity: required against available hours;
-- `beyond_forecast`: the period lies after the forecast's last period (its load is not known).
with required as (
    select
        line,
        period,
        min(period_start) as period_start,
        sum(required_hours) as required_hours,
        sum(required_hours * share) as served_hours
    from int_class_hours
    group by all
),

capacity as (
    select * from stg_capacity
),

-- the forecast's last period with line hours: after it no demand is known, so a line's load
-- there is unknown, not free (a capacity export often runs a year, the forecast half of it)
horizon as (
    select max(period_start) as last_start from required
),

joined as (
    select
        coalesce(required.line, capacity.line) as line,
        coalesce(required.period, capacity.period) as period,
        coalesce(required.period_start, capacity.period_start) as period_start,
        coalesce(required.required_hours, 0) as required_hours,
        capacity.available_hours,
        capacity.max_hours,
        coalesce(required.served_hours, 0) as served_hours
    from required
    full outer join capacity on capacity.line = required.line and capacity.period = required.period
),

final as (
    select
        line,
        period,
        period_start,
        round(required_hours, 6) as required_hours,
        round(available_hours, 6) as available_hours,
        round(max_hours, 6) as max_hours,
        round(served_hours, 6) as served_hours,
        case when available_hours > 0 then round(required_hours / available_hours, 6) end
            as utilization,
        coalesce(available_hours, 0) <= 0 as no_capacity,
        -- the one overload rule: utilisation above 1 (a line without hours has no utilisation)
        coalesce(available_hours > 0 and round(required_hours / available_hours, 6) > 1, false)
            as is_overloaded,
        round(greatest(coalesce(available_hours, 0) - served_hours, 0), 6) as free_hours,
        round(greatest(required_hours - served_hours, 0), 6) as overload_hours,
        case when max_hours is not null
             then round(greatest(max_hours - coalesce(available_hours, 0), 0), 6) end
            as headroom_hours,
        coalesce(period_start > horizon.last_start, false) as beyond_forecast
    from joined
    cross join horizon
)

select * from final
