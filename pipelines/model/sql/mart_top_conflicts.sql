-- materialized: table
-- One row per short PMC at its heaviest period, ranked by strategic weight
-- (shortfall / priority class), then by the horizon's shortfall: the overview's top conflicts,
-- the meeting agenda and the pack read this ranking.
with short as (
    select
        *,
        shortfall / priority_class as weight,
        sum(shortfall) over (partition by product, market) as total_shortfall,
        sum(shortfall_hours) over (partition by product, market) as total_shortfall_hours,
        count(*) over (partition by product, market) as periods_short
    from mart_gaps
    where is_conflict
),

worst as (
    select *
    from short
    qualify row_number() over (partition by product, market order by weight desc, period_start) = 1
),

final as (
    select
        row_number() over (order by weight desc, total_shortfall desc, product, market) as rank,
        product,
        market,
        period,
        period_start,
        line,
        priority_class,
        demand,
        supplied,
        shortfall,
        shortfall_hours,
        shortfall_value,
        reason,
        product_name,
        market_name,
        product_display,
        total_shortfall,
        total_shortfall_hours,
        periods_short,
        round(weight, 6) as weight,
        unit
    from worst
)

select * from final
