-- materialized: table
-- One row per short PMC at its heaviest period, ranked by strategic weight: the overview's top
-- conflicts, the heatmap's rows (mart_conflict_cells), the meeting agenda and the pack.
-- Weight = the line hours missing in that period per priority class (macros.sql
-- `conflict_weight`); ties by the hours missing over the horizon. A PMC short without hours (its
-- article not routed, or its quantity not convertible, spec 5.5) cannot be weighed in hours: it is
-- a gap in the data that has to be closed before its demand can be planned at all, so these PMCs
-- come first, as a block of their own (`without_hours`), at their first such period, by class,
-- then the first period, then the periods short.
with short as (
    select
        *,
        shortfall_hours is null as without_hours,
        conflict_weight(shortfall_hours, priority_class) as weight,
        sum(shortfall) over pmc as total_shortfall,
        sum(shortfall_hours) over pmc as total_shortfall_hours,
        count(*) over pmc as periods_short
    from mart_gaps
    where is_conflict
    window pmc as (partition by product, market)
),

worst as (
    select *
    from short
    qualify row_number() over (partition by product, market
                               order by without_hours desc, round(weight, 6) desc nulls last,
                                        period_start) = 1
),

final as (
    select
        row_number() over (order by without_hours desc,
                                    case when without_hours then priority_class end,
                                    case when without_hours then period_start end,
                                    -- rounded as shown: a sum's last bits depend on the order
                                    -- DuckDB's threads add it in, and must not reorder ties
                                    round(weight, 6) desc nulls last,
                                    round(total_shortfall_hours, 6) desc,
                                    periods_short desc, product, market) as rank,
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
        without_hours,
        unit
    from worst
)

select * from final
