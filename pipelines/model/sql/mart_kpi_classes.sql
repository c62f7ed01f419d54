-- materialized: table
-- The gaps' headline sums per period and priority class (mart_kpi_periods adds the line figures).
-- Every column is a sum or a count, so a scenario adds its changed rows' figures to the base's
-- and takes away what those rows were (scn_mart_kpi_classes) instead of re-summing the plan.
with gaps as (
    select * from mart_gaps
),

final as (
    select
        period_start,
        priority_class,
        sum(demand) as demand,
        sum(supplied) as supplied,
        sum(shortfall) as shortfall,
        sum(shortfall_hours) as shortfall_hours,
        sum(shortfall_value) as shortfall_value,
        count(shortfall_value) as valued_rows,
        count(*) as pmc_periods,
        count(*) filter (where is_conflict) as open_conflicts
    from gaps
    group by period_start, priority_class
)

select * from final
