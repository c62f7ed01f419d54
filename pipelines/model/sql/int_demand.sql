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
-- with demand, shared among that class's PMCs in proportion to their demand; the windows run
-- only over the articles that change over (the others carry none, and sorting their rows by
-- article and period was most of this model's time)
changeover_share as (
    select
        classified.*,
        case when planned
                  and priority_class = min(priority_class) filter (where planned) over product_period
             then changeover_hours * demand
                  / sum(demand) filter (where planned) over (partition by product, period, priority_class)
             else 0 end as changeover_share
    from classified
    where changeover_hours > 0
    window product_period as (partition by product, period)
    union all
    select classified.*, 0 as changeover_share
    from classified
    where not coalesce(changeover_hours > 0, false)
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
