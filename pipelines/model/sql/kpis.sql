-- The headline figures of a plan from period $since on (all periods when null): one row overall
-- (priority_class null) and one per class. Read by Model.kpis().
with periods as (
    select * from mart_kpi_periods
    where period_start >= coalesce($since::date, period_start)
),

overall as (
    select
        null::integer as priority_class,
        sum(demand) as demand,
        sum(supplied) as supplied,
        sum(shortfall) as shortfall,
        sum(shortfall_hours) as shortfall_hours,
        case when sum(valued_rows) > 0 then sum(shortfall_value) end as shortfall_value,
        sum(open_conflicts) as open_conflicts,
        sum(overloaded_line_periods) as overloaded_line_periods
    from periods
),

per_class as (
    select
        priority_class,
        sum(demand) as demand,
        sum(supplied) as supplied,
        sum(shortfall) as shortfall,
        sum(shortfall_hours) as shortfall_hours,
        case when sum(valued_rows) > 0 then sum(shortfall_value) end as shortfall_value,
        sum(open_conflicts) as open_conflicts,
        null::bigint as overloaded_line_periods
    from periods
    where priority_class is not null
    group by priority_class
),

final as (
    select *, case when demand > 0 then round(supplied / demand, 6) end as fill_rate from overall
    union all
    select *, case when demand > 0 then round(supplied / demand, 6) end as fill_rate from per_class
)

select * from final order by priority_class nulls first
