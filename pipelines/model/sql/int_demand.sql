-- materialized: table
-- Each PMC-period with demand > 0, routed to its line with its rate, priority class and required
-- hours: run hours (demand / rate) plus its share of the product's changeover (spec 5.1). A
-- PMC-period whose forecast unit cannot be converted takes no hours, like an unrouted one. The
-- forecast's unit columns ride along, so mart_gaps need not join the forecast again.
with forecast as (
    select * from stg_forecast where demand > 0
),

products as (
    select * from stg_products
),

markets as (
    select * from stg_markets
),

overrides as (
    select * from stg_priority_overrides
),

params as (
    select default_class from model_params
),

classified as (
    select
        forecast.product,
        forecast.market,
        forecast.period,
        forecast.period_start,
        coalesce(products.routed and forecast.convertible, false) as planned,
        products.line,
        products.rate,
        products.changeover_hours,
        coalesce(pmc_class.priority_class, market_class.priority_class, markets.priority_class,
                 params.default_class) as priority_class,
        forecast.demand,
        forecast.unit,
        forecast.convertible,
        forecast.unit_problem,
        forecast.kg_per_unit,
        products.product is null as is_new_product,
        markets.market is null as is_new_market
    from forecast
    cross join params
    left join products on products.product = forecast.product
    left join markets on markets.market = forecast.market
    left join overrides as pmc_class on pmc_class.market_key = lower(trim(forecast.market))
        and pmc_class.product = forecast.product
    left join overrides as market_class on market_class.market_key = lower(trim(forecast.market))
        and market_class.product is null
),

-- one changeover per product with demand in the period, carried by its most important class
-- with demand, shared among that class's PMCs in proportion to their demand. Only the articles
-- that change over take part (the others carry none), and their class demand is grouped and joined
-- back rather than two window partitions (the windows sorted 4 M rows on one thread)
changeover_classes as (
    select product, period, priority_class, sum(demand) as class_demand,
        min(priority_class) over (partition by product, period) as top_class
    from classified
    where planned and changeover_hours > 0
    group by product, period, priority_class
),

changeover_share as (
    select
        classified.*,
        case when classified.planned
                  and classified.priority_class = changeover_classes.top_class
             then classified.changeover_hours * classified.demand / changeover_classes.class_demand
             else 0 end as changeover_share
    from classified
    left join changeover_classes
        on changeover_classes.product is not distinct from classified.product
        and changeover_classes.period is not distinct from classified.period
        and changeover_classes.priority_class is not distinct from classified.priority_class
    where classified.changeover_hours > 0
    union all
    select classified.*, 0 as changeover_share
    from classified
    where not coalesce(classified.changeover_hours > 0, false)
),

final as (
    select
        product,
        market,
        period,
        period_start,
        case when planned then line end as line,
        case when planned then rate end as rate,
        priority_class,
        demand,
        case when planned then demand / rate + changeover_share end as required_hours,
        is_new_product,
        is_new_market,
        unit,
        convertible,
        unit_problem,
        kg_per_unit
    from changeover_share
)

select * from final
