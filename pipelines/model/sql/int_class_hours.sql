-- materialized: table
-- Spec section 5 step 3: per line-period and priority class, the hours the class needs
-- (int_class_demand), the hours the classes before it need, and the share of its need it is served.
with classes as (
    select line, period, priority_class, period_start, required_hours from int_class_demand
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
