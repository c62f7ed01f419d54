-- materialized: table
-- Incremental scenario (docs/scenarios.md): the PMC-periods whose demand row may change, as a
-- forecast with their scenario demand: those a demand or new-PMC change reaches, and every
-- PMC-period of an article a routing change moves or of a market or PMC a class change names;
-- and, for an article with changeover hours, every PMC of the same article and period, because
-- its changeover is shared among its PMCs of that period (int_demand.sql). An article without
-- changeover hours has none to share: its other PMCs' rows do not change, so a class change of a
-- whole market recomputes that market's rows, not the plan. Rows keep the staged forecast's unit
-- columns; a new PMC is in its article's unit.
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
    select product, market, period
    from int_demand
    semi join routed using (product)
    union
    select product, market, period
    from int_demand
    semi join (select market from classed_markets where product is null) as whole using (market)
    union
    select product, market, period
    from int_demand
    semi join (select market, product from classed_markets where product is not null) as one
        using (market, product)
    union
    select product, market, period from changed
),

-- articles whose changeover is shared among their PMCs (a routing change keeps the hours)
changing_over as (
    select product from stg_products where changeover_hours > 0
),

shared_periods as (
    select distinct product, period
    from reached
    semi join changing_over using (product)
),

staged as (
    select forecast.*
    from stg_forecast as forecast
    semi join reached using (product, market, period)
    union
    select forecast.*
    from stg_forecast as forecast
    semi join shared_periods using (product, period)
),

products as (
    select product, unit, kg_per_unit from stg_products
),

final as (
    select staged.product, staged.market, staged.period, staged.period_start,
        coalesce(changed.demand, staged.demand) as demand,
        staged.unit, staged.convertible, staged.unit_problem, staged.kg_per_unit
    from staged
    left join changed on changed.product = staged.product and changed.market = staged.market
        and changed.period = staged.period
    union all
    select changed.product, changed.market, changed.period, changed.period_start, changed.demand,
        coalesce(products.unit, 'Stk') as unit, true as convertible, null::text as unit_problem,
        products.kg_per_unit
    from changed
    anti join staged on staged.product = changed.product and staged.market = changed.market
        and staged.period = changed.period
    left join products on products.product = changed.product
)

select * from final
