-- materialized: table
-- Each PMC-period with demand > 0, routed to its line with its rate, priority class and required hours.
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

final as (
    select
        forecast.product,
        forecast.market,
        forecast.period,
        forecast.period_start,
        case when products.routed then products.line end as line,
        case when products.routed then products.rate end as rate,
        coalesce(pmc_class.priority_class, market_class.priority_class, markets.priority_class,
                 params.default_class) as priority_class,
        forecast.demand,
        case when products.routed then forecast.demand / products.rate end as required_hours,
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
)

select * from final
