-- materialized: table
-- With a production plan: planned hours (planned quantity / rate) per line-period against the
-- available hours, telling whether the plan itself fits its lines. The plan's line wins over the
-- master line; on an alternate line the alternate rate applies. Empty when no plan is selected.
with plan as (
    select * from stg_plan
),

products as (
    select product, line, rate, routed from stg_products
),

alternates as (
    select product, line, rate from stg_alternates
),

routed as (
    select
        plan.product,
        coalesce(plan.line, case when products.routed then products.line end) as line,
        plan.period,
        plan.period_start,
        plan.planned_quantity,
        case when plan.line is null or plan.line = products.line
             then case when products.routed then products.rate end
             else coalesce(alternates.rate, case when products.routed then products.rate end)
        end as rate
    from plan
    left join products on products.product = plan.product
    left join alternates on alternates.product = plan.product and alternates.line = plan.line
),

lines as (
    select
        line,
        period,
        min(period_start) as period_start,
        sum(planned_quantity) as planned_quantity,
        sum(planned_quantity / rate) as planned_hours,
        sum(case when rate is null then planned_quantity else 0 end) as unrouted_quantity
    from routed
    group by all
),

final as (
    select
        lines.line,
        lines.period,
        lines.period_start,
        round(lines.planned_quantity, 6) as planned_quantity,
        round(coalesce(lines.planned_hours, 0), 6) as planned_hours,
        round(lines.unrouted_quantity, 6) as unrouted_quantity,
        round(capacity.available_hours, 6) as available_hours,
        case when capacity.available_hours > 0
             then round(coalesce(lines.planned_hours, 0) / capacity.available_hours, 6) end
            as plan_utilization,
        coalesce(lines.planned_hours, 0)
            <= coalesce(capacity.available_hours, 0) * (1 + 1e-9) + 1e-9 as plan_fits,
        round(greatest(coalesce(lines.planned_hours, 0)
                       - coalesce(capacity.available_hours, 0), 0), 6) as excess_hours
    from lines
    left join stg_capacity as capacity
        on capacity.line = lines.line and capacity.period = lines.period
)

select * from final
