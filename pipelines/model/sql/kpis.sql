-- The headline figures of a plan from period $since on (all periods when null): one row in total
-- (is_total) and one per priority class. Read by Model.kpis().
with periods as (
    select * from mart_kpi_periods
    where period_start >= coalesce($since::date, period_start)
),

grouped as (
    select
        grouping(priority_class) = 1 as is_total,
        priority_class,
        sum(demand) as demand,
        sum(supplied) as supplied,
        sum(shortfall) as shortfall,
        sum(shortfall_hours) as shortfall_hours,
        case when sum(valued_rows) > 0 then sum(shortfall_value) end as shortfall_value,
        sum(open_conflicts) as open_conflicts,
        sum(overloaded_line_periods) as overloaded_line_periods
    from periods
    group by grouping sets ((), (priority_class))
    -- periods with capacity but no demand carry no class: they count only in the total
    having grouping(priority_class) = 1 or priority_class is not null
),

final as (
    select *, case when demand > 0 then round(supplied / demand, 6) end as fill_rate
    from grouped
)

select * from final order by is_total desc, priority_class
