-- materialized: view
-- One row per PMC-period with demand > 0: what is supplied, the shortfall and why (spec section 5).
with demand as (
    select * from int_demand
),

class_hours as (
    select line, period, priority_class, share, no_capacity from int_class_hours
),

allocated as (
    select
        demand.*,
        coalesce(class_hours.share, 0) as share,
        class_hours.no_capacity
    from demand
    left join class_hours on class_hours.line = demand.line
        and class_hours.period = demand.period
        and class_hours.priority_class = demand.priority_class
),

products as (
    select product, product_name, product_group, price, margin, unit, routing_problem
    from stg_products
),

-- the unit each PMC-period's quantities are in: the article's, or the given one where the
-- forecast could not be converted
markets as (
    select market, market_name from stg_markets
),

forecast_names as (
    select product, product_name from stg_forecast_names
),

final as (
    select
        allocated.product,
        allocated.market,
        allocated.period,
        allocated.period_start,
        allocated.line,
        allocated.priority_class,
        round(allocated.demand, 6) as demand,
        round(allocated.demand * allocated.share, 6) as supplied,
        round(allocated.demand - allocated.demand * allocated.share, 6) as shortfall,
        -- the one conflict rule (spec 5.4): shortfall above 0 after rounding to 6 decimals
        round(allocated.demand - allocated.demand * allocated.share, 6) > 0 as is_conflict,
        case when not allocated.convertible then allocated.unit_problem
             when allocated.line is null and products.routing_problem is not null
                 then products.routing_problem
             when allocated.line is null then 'no_routing'
             when allocated.no_capacity then 'no_capacity'
             when allocated.share < 1 then 'capacity' end as reason,
        allocated.rate,
        round(allocated.required_hours, 6) as required_hours,
        round(allocated.required_hours * allocated.share, 6) as served_hours,
        round(allocated.required_hours * (1 - allocated.share), 6) as shortfall_hours,
        coalesce(products.product_name, forecast_names.product_name) as product_name,
        markets.market_name,
        products.product_group,
        round((allocated.demand - allocated.demand * allocated.share) * products.price, 6)
            as shortfall_value,
        round((allocated.demand - allocated.demand * allocated.share) * products.margin, 6)
            as shortfall_margin,
        allocated.is_new_product,
        allocated.is_new_market,
        coalesce(allocated.unit, products.unit, 'Stk') as unit,
        -- kilograms per unit of this row's quantities (null: no net weight, no kg total)
        allocated.kg_per_unit,
        round(allocated.required_hours - allocated.demand / allocated.rate, 6) as changeover_hours,
        coalesce(product_display.product_display, allocated.product) as product_display
    from allocated
    left join products on products.product = allocated.product
    left join markets on markets.market = allocated.market
    left join forecast_names on forecast_names.product = allocated.product
    left join stg_product_display as product_display on product_display.product = allocated.product
)

select * from final
