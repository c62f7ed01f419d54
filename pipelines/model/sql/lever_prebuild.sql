-- query: parameters $product, $market, $period, $days (7 or 30), $grain
-- Pre-build lever of one conflict: free hours of earlier periods of the same line, at most
-- k = floor((shelf life - minimum remaining shelf life) / days) periods back, latest used first.
with conflict as (
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
    left join stg_products as products on products.product = gaps.product
    where gaps.product = $product and gaps.market = $market and gaps.period = $period
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

totals as (
    select * from prebuild_summary(
        (select line from bounded), (select period_start from bounded),
        (select reach_start from bounded), (select hours_needed from bounded))
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
    cross join totals
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
