-- materialized: table
-- Spec section 5 step 3, first half: per line-period and priority class, the hours the class
-- needs and how many PMC-periods need them (int_class_hours allocates the line's hours on these;
-- a scenario adds and removes its changed rows' hours here instead of re-summing the plan).
with demand as (
    select line, period, period_start, priority_class, required_hours
    from int_demand
    where line is not null
),

final as (
    select
        line,
        period,
        priority_class,
        min(period_start) as period_start,
        sum(required_hours) as required_hours,
        count(*) as pmc_periods
    from demand
    group by all
)

select * from final
