-- materialized: table
-- Lines ranked by overload hours: how many periods are overloaded (utilisation above 1) and the
-- peak utilisation, for the capacity page and the pack.
with load as (
    select * from mart_load
),

per_line as (
    select
        line,
        round(sum(overload_hours), 6) as overload_hours,
        count(*) filter (where is_overloaded) as overloaded_periods,
        max(utilization) as peak_utilisation
    from load
    group by line
),

final as (
    select row_number() over (order by overload_hours desc, line) as rank, *
    from per_line
)

select * from final
