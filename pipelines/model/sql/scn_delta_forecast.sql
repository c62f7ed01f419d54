-- materialized: table
-- Incremental scenario (docs/scenarios.md): the PMC-periods whose demand row may change, as a
-- forecast with their scenario demand: those a demand or new-PMC change reaches, and every
-- PMC-period of an article a routing change moves or of a market or PMC a class change names.
with changed as (
    select product, market, period, period_start, demand from scn_forecast_changes
),

routed as (
    select distinct product from scenario_changes where kind = 'routing'
),

classed as (
    select distinct lower(trim(market)) as market_key, product
    from scenario_changes
    where kind = 'priority' or (kind = 'new_pmc' and priority_class is not null)
),

-- the plan's spelling of each market a class change names (a handful of rows), so that the plan's
-- rows are found by equality, not by folding every row's market
classed_markets as (
    select markets.market, classed.product
    from (select distinct market from int_demand) as markets
    join classed on classed.market_key = lower(trim(markets.market))
),

reached as (
    select product, market, period, period_start, demand
    from int_demand
    semi join routed using (product)
    union
    select product, market, period, period_start, demand
    from int_demand
    semi join (select market from classed_markets where product is null) as whole using (market)
    union
    select product, market, period, period_start, demand
    from int_demand
    semi join (select market, product from classed_markets where product is not null) as one
        using (market, product)
),

final as (
    select * from changed
    union all
    select reached.*
    from reached
    anti join changed on changed.product = reached.product and changed.market = reached.market
        and changed.period = reached.period
)

select * from final
