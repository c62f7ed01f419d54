-- materialized: table
-- Incremental scenario (docs/scenarios.md): the base's demand rows whose PMC-period may change:
-- every PMC-period of an article a routing change moves or of a market or PMC a class change
-- names, those a demand or new-PMC change reaches (scn_forecast_changes), and, for an article
-- with changeover hours, every PMC of the same article and period, because its changeover is
-- shared among its PMCs of that period (int_demand.sql). An article without changeover hours has
-- none to share: its other PMCs' rows do not change, so a class change of a whole market takes
-- that market's rows, not the plan. These rows are what the changed rows were in the base: the
-- scenario takes their figures away and adds the recomputed rows' (scn_int_class_demand,
-- scn_mart_kpi_classes).
with changed as (
    select product, market, period from scn_forecast_changes
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
    from stg_forecast_markets as markets
    join classed on classed.market_key = lower(trim(markets.market))
),

whole_markets as (
    select market from classed_markets where product is null
),

one_pmcs as (
    select market, product from classed_markets where product is not null
),

-- named by a routing or class change: found by the article or the market alone
named as (
    select demand.*
    from int_demand as demand
    where demand.product in (select product from routed)
        or demand.market in (select market from whole_markets)
        or exists (select 1 from one_pmcs
                   where one_pmcs.market = demand.market and one_pmcs.product = demand.product)
),

-- reached by a demand or new-PMC change (looked for only in the markets those changes reach),
-- and not named above
changed_rows as (
    select demand.*
    from int_demand as demand
    where demand.market in (select market from changed)
),

reached_by_change as (
    select changed_rows.*
    from changed_rows
    semi join changed using (product, market, period)
    anti join named using (product, market, period)
),

reached as (
    select * from named
    union all
    select * from reached_by_change
),

-- articles whose changeover is shared among their PMCs (a routing change keeps the hours)
changing_over as (
    select product from stg_products where changeover_hours > 0
),

-- (a new PMC's period counts too: it has no row in the base but takes its share)
shared_periods as (
    select distinct product, period
    from (select product, period from reached union all select product, period from changed)
    semi join changing_over using (product)
),

sharing as (
    select demand.*
    from int_demand as demand
    semi join shared_periods using (product, period)
    anti join reached using (product, market, period)
),

final as (
    select * from reached
    union all
    select * from sharing
)

select * from final
