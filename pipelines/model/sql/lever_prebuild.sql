-- query: parameters $products, $markets, $periods (lists: the i-th items name one PMC-period),
-- $days (7 or 30), $grain
-- Pre-build lever of each conflict named: free hours of earlier periods of the same line, at most
-- k = floor((shelf life - minimum remaining shelf life) / days) periods back, latest used first.
with targets as (
    select unnest($products) as product, unnest($markets) as market, unnest($periods) as period
),

conflict as (
    select
        gaps.product,
        gaps.market,
        gaps.period,
        gaps.period_start,
        gaps.line,
        gaps.rate,
        gaps.shortfall,
        gaps.reason,
        products.shelf_life_days,
        products.min_remaining_shelf_life_days
    from mart_gaps as gaps
    semi join targets on targets.product = gaps.product and targets.market = gaps.market
        and targets.period = gaps.period
    left join stg_products as products on products.product = gaps.product
),

reach as (
    select
        conflict.*,
        case when shelf_life_days is not null and min_remaining_shelf_life_days is not null
             then greatest(floor((shelf_life_days - min_remaining_shelf_life_days) / $days), 0)::integer
        end as k_periods,
        shortfall / rate as hours_needed
    from conflict
),

bounded as (
    select
        reach.*,
        case when $grain = 'month' then (period_start - to_months(coalesce(k_periods, 0)))::date
             else (period_start - to_days(7 * coalesce(k_periods, 0)))::date end as reach_start
    from reach
),

-- one row per conflict: the macro is the one rule, applied to each conflict's line and window
totals as (
    select bounded.product, bounded.market, bounded.period, summary.*
    from bounded,
    lateral (select * from prebuild_summary(bounded.line, bounded.period_start,
                                            bounded.reach_start, bounded.hours_needed)) as summary
),

classified as (
    select
        bounded.*,
        coalesce(totals.free_hours, 0) as free_hours,
        coalesce(totals.used_hours, 0) as used_hours,
        totals.detail,
        case when bounded.reason = 'no_routing' then 'no_routing'
             when bounded.shortfall <= 0 then 'no_shortfall'
             when bounded.k_periods is null then 'no_shelf_life'
             when bounded.k_periods = 0 then 'no_window'
             when coalesce(totals.free_hours, 0) <= 0 then 'no_free_hours'
             when totals.free_hours >= bounded.hours_needed * (1 - 1e-9) then 'closes'
             else 'partial' end as status
    from bounded
    left join totals on totals.product = bounded.product and totals.market = bounded.market
        and totals.period = bounded.period
),

final as (
    select
        'prebuild' as lever,
        product,
        market,
        period,
        line,
        status,
        case when status = 'closes' then shortfall
             when status = 'partial' then round(used_hours * rate, 6)
             when status = 'no_shelf_life' then null
             else 0.0 end as closes_units,
        round(used_hours, 6) as hours,
        round(hours_needed, 6) as hours_needed,
        round(free_hours, 6) as free_hours,
        rate,
        k_periods,
        shelf_life_days,
        min_remaining_shelf_life_days,
        detail
    from classified
)

select * from final
