-- materialized: table
-- The PMC-periods a scenario's demand and new-PMC changes reach, with their demand in the
-- scenario: demand changes (percentages multiplied, then units added per matching PMC-period,
-- never below 0), then each new PMC's quantity in every period of the horizon inside its window
-- (added to the PMC's demand where it exists already). Every other PMC-period keeps its demand.
with params as (
    select grain from model_params
),

changes as (
    select * from scenario_changes
),

demand_changes as (
    select * from scenario_changes where kind = 'demand'
),

-- not materialized: read four times, each reading takes only the few rows it needs
staged as not materialized (
    select product, market, period, period_start, demand from stg_forecast
),

products as (
    select product, product_group from stg_products
),

-- the plan's markets a demand change names (a handful of rows): only their rows are matched below
markets_named as (
    select distinct staged_markets.market
    from stg_forecast_markets as staged_markets
    join demand_changes as changes
        on changes.market is null or lower(trim(changes.market)) = lower(trim(staged_markets.market))
),

candidates as (
    select staged.* from staged semi join markets_named using (market)
),

matched as (
    select
        forecast.product,
        forecast.market,
        forecast.period,
        any_value(forecast.period_start) as period_start,
        greatest(0, any_value(forecast.demand) * product(1 + coalesce(changes.percent, 0) / 100)
                    + coalesce(sum(changes.units), 0)) as demand
    from candidates as forecast
    cross join params
    left join products on products.product = forecast.product
    join demand_changes as changes
        on (changes.market is null or lower(trim(changes.market)) = lower(trim(forecast.market)))
        and (changes.product is null or changes.product = forecast.product)
        and (changes.product_group is null
             or lower(trim(changes.product_group)) = lower(trim(products.product_group)))
        and (changes.from_start is null
             or forecast.period_start >= grain_start(changes.from_start, params.grain))
        and (changes.to_end is null or forecast.period_start <= changes.to_end)
    group by forecast.product, forecast.market, forecast.period
),

markets as (
    select market from stg_forecast_markets
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
    join stg_periods as periods on (changes.from_start is null
                     or periods.period_start >= grain_start(changes.from_start, params.grain))
        and (changes.to_end is null or periods.period_start <= changes.to_end)
    left join markets on lower(trim(markets.market)) = lower(trim(changes.market))
    where changes.kind = 'new_pmc'
),

added as (
    select product, market, period, any_value(period_start) as period_start, sum(demand) as demand
    from new_pmcs
    group by product, market, period
),

-- the few PMC-periods of the plan a new PMC lands on (a semi join: the new PMCs are the few)
existing as (
    select staged.*
    from staged
    semi join added on added.product = staged.product and added.market = staged.market
        and added.period = staged.period
),

-- a new PMC's quantity lands on the PMC-period's demand after any demand change, or as it stands
added_to as (
    select added.*, coalesce(matched.demand, existing.demand, 0) + added.demand as new_demand
    from added
    left join matched on matched.product = added.product and matched.market = added.market
        and matched.period = added.period
    left join existing on existing.product = added.product and existing.market = added.market
        and existing.period = added.period
),

final as (
    select product, market, period, period_start, demand
    from matched
    where not exists (select 1 from added where added.product = matched.product
                      and added.market = matched.market and added.period = matched.period)
    union all
    select product, market, period, period_start, new_demand as demand
    from added_to
)

select * from final
