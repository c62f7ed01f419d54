-- materialized: table
-- Scenario overlay of stg_forecast: demand changes (percentages multiplied, then units added per
-- matching PMC-period, never below 0), then each new PMC's quantity in every period of the
-- horizon inside its window (added to the PMC's demand where it exists already).
with params as (
    select grain from model_params
),

changes as (
    select * from scenario_changes
),

periods as (
    select distinct period, period_start from stg_forecast
    union
    select distinct period, period_start from stg_capacity
),

products as (
    select product, product_group from stg_products
),

matched as (
    select
        forecast.product,
        forecast.market,
        forecast.period,
        forecast.period_start,
        forecast.demand,
        changes.percent,
        changes.units
    from stg_forecast as forecast
    cross join params
    left join products on products.product = forecast.product
    left join changes on changes.kind = 'demand'
        and (changes.market is null or lower(trim(changes.market)) = lower(trim(forecast.market)))
        and (changes.product is null or changes.product = forecast.product)
        and (changes.product_group is null
             or lower(trim(changes.product_group)) = lower(trim(products.product_group)))
        and (changes.from_start is null
             or forecast.period_start >= grain_start(changes.from_start, params.grain))
        and (changes.to_end is null or forecast.period_start <= changes.to_end)
),

adjusted as (
    select
        product,
        market,
        period,
        period_start,
        case when count(percent) + count(units) = 0 then any_value(demand)
             else greatest(0, any_value(demand) * coalesce(product(1 + percent / 100), 1)
                              + coalesce(sum(units), 0)) end as demand
    from matched
    group by product, market, period, period_start
),

markets as (
    select distinct market from stg_forecast
),

new_pmcs as (
    select
        changes.product,
        coalesce(markets.market, changes.market) as market,
        periods.period,
        periods.period_start,
        changes.quantity as demand
    from changes
    cross join params
    join periods on (changes.from_start is null
                     or periods.period_start >= grain_start(changes.from_start, params.grain))
        and (changes.to_end is null or periods.period_start <= changes.to_end)
    left join markets on lower(trim(markets.market)) = lower(trim(changes.market))
    where changes.kind = 'new_pmc'
),

final as (
    select product, market, period, period_start, sum(demand) as demand
    from (select * from adjusted union all select * from new_pmcs)
    group by all
)

select * from final
