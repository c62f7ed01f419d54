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

reached as (
    select product, market, period, period_start, demand
    from int_demand
    semi join routed using (product)
    union
    select demand_rows.product, demand_rows.market, demand_rows.period, demand_rows.period_start,
        demand_rows.demand
    from int_demand as demand_rows
    semi join classed on classed.market_key = lower(trim(demand_rows.market))
        and (classed.product is null or classed.product = demand_rows.product)
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
