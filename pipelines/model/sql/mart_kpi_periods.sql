-- materialized: table
-- The headline figures per period and priority class (mart_kpi_classes) with the overloaded
-- line-periods of the period, summed by `kpis.sql` from a period on:
-- the overview tiles, meeting step 3, the pack's KPI sheet and `einklang kpis` all read them.
with by_class as (
    select * from mart_kpi_classes
),

load as (
    select period_start, count(*) filter (where is_overloaded) as overloaded_line_periods
    from mart_load
    group by period_start
),

periods as (
    select period_start from by_class
    union
    select period_start from load
),

final as (
    select
        periods.period_start,
        by_class.priority_class,
        coalesce(by_class.demand, 0) as demand,
        coalesce(by_class.supplied, 0) as supplied,
        coalesce(by_class.shortfall, 0) as shortfall,
        coalesce(by_class.shortfall_hours, 0) as shortfall_hours,
        by_class.shortfall_value,
        coalesce(by_class.valued_rows, 0) as valued_rows,
        coalesce(by_class.pmc_periods, 0) as pmc_periods,
        coalesce(by_class.open_conflicts, 0) as open_conflicts,
        -- line figures belong to the period, not to a class: carried on one row per period
        case when row_number() over (partition by periods.period_start
                                     order by by_class.priority_class nulls last) = 1
             then coalesce(load.overloaded_line_periods, 0) else 0 end as overloaded_line_periods
    from periods
    left join by_class using (period_start)
    left join load using (period_start)
)

select * from final
