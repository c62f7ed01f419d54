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

-- the staged forecast is a view (a group-by over the selected version): run it once
staged as materialized (
    select * from stg_forecast
),

periods as (
    select distinct period, period_start from staged
    union
    select distinct period, period_start from stg_capacity
),

products as (
    select product, product_group, unit, kg_per_unit from stg_products
),

matched as (
    -- only the PMC-periods a demand change reaches; the rest pass unchanged (a hash join below)
    select
        forecast.product,
        forecast.market,
        forecast.period,
        product(1 + coalesce(changes.percent, 0) / 100) as factor,
        coalesce(sum(changes.units), 0) as units
    from staged as forecast
    cross join params
    left join products on products.product = forecast.product
    join changes on changes.kind = 'demand'
        and (changes.market is null or lower(trim(changes.market)) = lower(trim(forecast.market)))
        and (changes.product is null or changes.product = forecast.product)
        and (changes.product_group is null
             or lower(trim(changes.product_group)) = lower(trim(products.product_group)))
        and (changes.from_start is null
             or forecast.period_start >= grain_start(changes.from_start, params.grain))
        and (changes.to_end is null or forecast.period_start <= changes.to_end)
    group by forecast.product, forecast.market, forecast.period
),

adjusted as (
    select
        forecast.product,
        forecast.market,
        forecast.period,
        forecast.period_start,
        case when matched.product is null then forecast.demand
             else greatest(0, forecast.demand * matched.factor + matched.units) end as demand,
        forecast.unit,
        forecast.convertible,
        forecast.unit_problem,
        forecast.kg_per_unit
    from staged as forecast
    left join matched on matched.product = forecast.product and matched.market = forecast.market
        and matched.period = forecast.period
),

markets as (
    select distinct market from staged
),

new_pmcs as (
    select
        changes.product,
        coalesce(markets.market, changes.market) as market,
        periods.period,
        periods.period_start,
        changes.quantity as demand,
        coalesce(products.unit, 'Stk') as unit,
        products.kg_per_unit
    from changes
    cross join params
    left join products on products.product = changes.product
    join periods on (changes.from_start is null
                     or periods.period_start >= grain_start(changes.from_start, params.grain))
        and (changes.to_end is null or periods.period_start <= changes.to_end)
    left join markets on lower(trim(markets.market)) = lower(trim(changes.market))
    where changes.kind = 'new_pmc'
),

added as (
    select product, market, period, any_value(period_start) as period_start, sum(demand) as demand,
           any_value(unit) as unit, any_value(kg_per_unit) as kg_per_unit
    from new_pmcs
    group by product, market, period
),

final as (
    -- a full join on the keys, not a group-by over every row: the new PMCs are few
    select
        coalesce(adjusted.product, added.product) as product,
        coalesce(adjusted.market, added.market) as market,
        coalesce(adjusted.period, added.period) as period,
        coalesce(adjusted.period_start, added.period_start) as period_start,
        case when added.product is null then adjusted.demand
             else coalesce(adjusted.demand, 0) + added.demand end as demand,
        coalesce(adjusted.unit, added.unit) as unit,
        coalesce(adjusted.convertible, true) as convertible,
        adjusted.unit_problem,
        coalesce(adjusted.kg_per_unit, added.kg_per_unit) as kg_per_unit
    from adjusted
    full outer join added on added.product = adjusted.product and added.market = adjusted.market
        and added.period = adjusted.period
)

select * from final
