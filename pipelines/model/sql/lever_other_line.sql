-- query: parameters $products, $markets, $periods (lists: the i-th items name one PMC-period)
-- Other-line lever of each conflict named: per alternate line, its free hours in the same period
-- times the alternate rate. One row per alternate line; one 'no_alternate' row where there is none.
with targets as (
    select unnest($products) as product, unnest($markets) as market, unnest($periods) as period
),

conflict as (
    select gaps.product, gaps.market, gaps.period, gaps.line, gaps.shortfall, gaps.reason
    from mart_gaps as gaps
    semi join targets on targets.product = gaps.product and targets.market = gaps.market
        and targets.period = gaps.period
),

alternates as (
    select conflict.product, conflict.market, conflict.period, alternates.line, alternates.rate
    from stg_alternates as alternates
    join conflict on alternates.product = conflict.product
    where alternates.line is distinct from conflict.line
),

free as (
    select
        alternates.product,
        alternates.market,
        alternates.period,
        alternates.line,
        alternates.rate,
        coalesce(load.free_hours, 0) as free_hours
    from alternates
    left join mart_load as load on load.line = alternates.line and load.period = alternates.period
),

classified as (
    select
        conflict.product,
        conflict.market,
        conflict.period,
        conflict.shortfall,
        free.line,
        free.rate,
        free.free_hours,
        case when conflict.shortfall <= 0 then 'no_shortfall'
             when free.line is null then 'no_alternate'
             when free.free_hours <= 0 then 'no_free_hours'
             when free.free_hours * free.rate >= conflict.shortfall * (1 - 1e-9) then 'closes'
             else 'partial' end as status
    from conflict
    left join free on free.product = conflict.product and free.market = conflict.market
        and free.period = conflict.period
),

final as (
    select
        'other_line' as lever,
        product,
        market,
        period,
        line,
        status,
        case when status = 'closes' then shortfall
             when status = 'partial' then round(free_hours * rate, 6)
             else 0.0 end as closes_units,
        case when status = 'closes' then round(shortfall / rate, 6)
             when status = 'partial' then round(free_hours, 6)
             else 0.0 end as hours,
        round(shortfall / rate, 6) as hours_needed,
        round(free_hours, 6) as free_hours,
        rate
    from classified
    order by product, market, period, closes_units desc, line
)

select * from final
