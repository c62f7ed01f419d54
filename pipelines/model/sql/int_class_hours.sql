-- materialized: table
-- Spec section 5 step 3: per line-period and priority class, the hours the class needs, the hours
-- the classes before it need, and the share of its need it is served.
with demand as (
    select line, period, period_start, priority_class, required_hours
    from int_demand
    where line is not null
),

classes as (
    select
        line,
        period,
        priority_class,
        min(period_start) as period_start,
        sum(required_hours) as required_hours
    from demand
    group by all
),

capacity as (
    select line, period, available_hours from stg_capacity
),

cumulated as (
    select
        classes.*,
        coalesce(sum(classes.required_hours) over (
            partition by classes.line, classes.period order by classes.priority_class
            rows between unbounded preceding and 1 preceding), 0) as required_before
    from classes
),

final as (
    select
        cumulated.line,
        cumulated.period,
        cumulated.period_start,
        cumulated.priority_class,
        cumulated.required_hours,
        cumulated.required_before,
        capacity.available_hours,
        coalesce(capacity.available_hours, 0) <= 0 as no_capacity,
        alloc_share(cumulated.required_before, cumulated.required_hours,
                    capacity.available_hours) as share
    from cumulated
    left join capacity on capacity.line = cumulated.line and capacity.period = cumulated.period
)

select * from final
