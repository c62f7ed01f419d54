-- materialized: table
-- The overview's heatmap: every PMC-period in conflict, with its PMC's place in the ranking of
-- mart_top_conflicts, so the heatmap's rows stand in the order of the top-conflicts list.
-- The cell's colour is `short_share`, the share of its demand that is not supplied: comparable
-- across articles in pieces, cups and kilograms and defined for articles without line hours too
-- (spec 5 "Units"); the hover names the shortfall in the article's unit and in line hours.
with gaps as (
    select * from mart_gaps
    where is_conflict
),

ranking as (
    select product, market, rank, weight from mart_top_conflicts
),

final as (
    select gaps.product, gaps.market, gaps.period, gaps.period_start, gaps.demand, gaps.shortfall,
        round(gaps.shortfall / gaps.demand, 6) as short_share, gaps.shortfall_hours,
        gaps.priority_class, gaps.product_name, gaps.unit, gaps.product_display, ranking.rank, ranking.weight
    from gaps
    join ranking using (product, market)
)

select * from final
