-- materialized: table
-- With a production plan: the planned quantity of each product-period goes to its markets by
-- priority class in units (spec section 5, last paragraph), giving a plan gap per PMC-period.
-- Empty when no plan version is selected.
with plan as (
    select product, period, sum(planned_quantity) as planned_quantity
    from stg_plan
    group by all
),

demand as (
    select product, market, period, period_start, line, priority_class, demand
    from int_demand
    where exists (select 1 from model_selection where kind = 'plan')
),

classes as (
    select product, period, priority_class, sum(demand) as demand
    from demand
    group by all
),

cumulated as (
    select
        classes.*,
        coalesce(sum(classes.demand) over (
            partition by classes.product, classes.period order by classes.priority_class
            rows between unbounded preceding and 1 preceding), 0) as demand_before
    from classes
),

shares as (
    select
        cumulated.product,
        cumulated.period,
        cumulated.priority_class,
        coalesce(plan.planned_quantity, 0) as planned_quantity,
        alloc_share(cumulated.demand_before, cumulated.demand, plan.planned_quantity) as share
    from cumulated
    left join plan on plan.product = cumulated.product and plan.period = cumulated.period
),

final as (
    select
        demand.product,
        demand.market,
        demand.period,
        demand.period_start,
        demand.line,
        demand.priority_class,
        round(demand.demand, 6) as demand,
        round(shares.planned_quantity, 6) as product_planned_quantity,
        round(demand.demand * shares.share, 6) as plan_supplied,
        round(demand.demand - demand.demand * shares.share, 6) as plan_gap
    from demand
    join shares on shares.product = demand.product
        and shares.period = demand.period
        and shares.priority_class = demand.priority_class
)

select * from final
