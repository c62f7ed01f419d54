-- materialized: table
-- The largest forecast moves (cmp_forecast_change) by absolute size, moves of 0 left out: per PMC
-- summed over the periods ($moves_by = 'pmc'; the market as written in its first period) or per
-- PMC-period ($moves_by = 'pmc_period'). Ties: product, then the PMC's first period and market.
-- The demand page, meeting step 1 and the pack. Params: $moves_by, $top.
with change as (
    select * from cmp_forecast_change
),

per_pmc as (
    select
        product,
        arg_min(market, period_start) as market,
        null::text as period,
        null::date as period_start,
        sum(previous) as previous,
        sum(current) as current,
        sum(change) as change,
        -- one article's quantities share its unit (a period whose forecast could not be converted
        -- keeps the unit given: then the first)
        min(unit) as unit,
        count(*) as periods,  -- cmp_forecast_change has one row per PMC and period
        min(period_start) as first_start,
        lower(market) as market_key
    from change
    where $moves_by = 'pmc'
    group by product, lower(market)
),

per_period as (
    select
        product,
        market,
        period,
        period_start,
        previous,
        current,
        change,
        unit,
        1 as periods,
        period_start as first_start,
        lower(market) as market_key
    from change
    where $moves_by = 'pmc_period'
),

ranked as (
    select
        row_number() over (order by abs(change) desc, product, first_start, market_key) as rank,
        moves.*
    from (select * from per_pmc union all select * from per_period) as moves
    where change <> 0
),

final as (
    select
        rank,
        product,
        market,
        period,
        period_start,
        previous,
        current,
        change,
        unit,
        periods,
        case when previous = 0 and current <> 0 then 'new'
             when current = 0 and previous <> 0 then 'vanished'
             when current = previous then 'same'
             else 'changed' end as status
    from ranked
    where rank <= $top
)

select * from final
