-- query: parameters $line, $period, $days (7 or 30), $grain
-- Line view: pre-build and extra hours for the whole overload of one line-period. Pre-build
-- reaches back as far as the most perishable product in shortfall allows (smallest k).
with load as (
    select * from mart_load where line = $line and period = $period
),

conflicts as (
    select
        gaps.product,
        products.shelf_life_days,
        products.min_remaining_shelf_life_days
    from mart_gaps as gaps
    left join stg_products as products on products.product = gaps.product
    where gaps.line = $line and gaps.period = $period and gaps.shortfall > 0
),

shelf as (
    select
        greatest(min(floor((shelf_life_days - min_remaining_shelf_life_days) / $days)), 0)::integer
            as k_periods,
        count(distinct product) filter (
            where shelf_life_days is null or min_remaining_shelf_life_days is null)
            as products_without_shelf_life,
        count(distinct product) as products_in_shortfall
    from conflicts
),

bounded as (
    select
        load.*,
        shelf.*,
        case when $grain = 'month' then (load.period_start - to_months(coalesce(shelf.k_periods, 0)))::date
             else (load.period_start - to_days(7 * coalesce(shelf.k_periods, 0)))::date end
            as reach_start
    from load
    cross join shelf
),

totals as (
    select * from prebuild_summary(
        (select line from bounded), (select period_start from bounded),
        (select reach_start from bounded), (select overload_hours from bounded))
),

prebuild as (
    select
        'prebuild' as lever,
        bounded.line,
        bounded.period,
        case when bounded.overload_hours <= 0 then 'no_overload'
             when bounded.k_periods is null then 'no_shelf_life'
             when bounded.k_periods = 0 then 'no_window'
             when coalesce(totals.free_hours, 0) <= 0 then 'no_free_hours'
             when totals.free_hours >= bounded.overload_hours * (1 - 1e-9) then 'closes'
             else 'partial' end as status,
        round(bounded.overload_hours, 6) as overload_hours,
        round(coalesce(totals.used_hours, 0), 6) as closes_hours,
        round(coalesce(totals.free_hours, 0), 6) as free_hours,
        bounded.k_periods,
        bounded.products_in_shortfall,
        bounded.products_without_shelf_life,
        bounded.headroom_hours,
        totals.detail
    from bounded
    cross join totals
),

extra_hours as (
    select
        'extra_hours' as lever,
        line,
        period,
        case when overload_hours <= 0 then 'no_overload'
             when headroom_hours is null then 'no_max_hours'
             when headroom_hours >= overload_hours * (1 - 1e-9) then 'within_max'
             else 'beyond_max' end as status,
        round(overload_hours, 6) as overload_hours,
        round(case when headroom_hours is null then overload_hours
                   else least(overload_hours, headroom_hours) end, 6) as closes_hours,
        null::double as free_hours,
        null::integer as k_periods,
        products_in_shortfall,
        products_without_shelf_life,
        headroom_hours,
        null::text as detail
    from bounded
),

final as (
    select * from prebuild
    union all
    select * from extra_hours
)

select * from final
