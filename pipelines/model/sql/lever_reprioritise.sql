-- query: parameters $product, $market, $period
-- Reprioritise lever of one conflict: the allocation of its line-period re-run with the PMC raised
-- to the line's top class in that period; what it would receive and which PMCs would lose.
with target as (
    select * from mart_gaps
    where product = $product and market = $market and period = $period
),

peers as (
    select gaps.*
    from mart_gaps as gaps
    join target on gaps.line = target.line and gaps.period = target.period
),

top_class as (
    select min(priority_class) as top_class from peers
),

moved as (
    select
        peers.*,
        peers.product = target.product and peers.market = target.market as is_target,
        case when peers.product = target.product and peers.market = target.market
             then top_class.top_class else peers.priority_class end as new_class
    from peers
    cross join target
    cross join top_class
),

classes as (
    select new_class, sum(required_hours) as required_hours
    from moved
    group by all
),

cumulated as (
    select
        classes.*,
        coalesce(sum(required_hours) over (
            order by new_class rows between unbounded preceding and 1 preceding), 0)
            as required_before
    from classes
),

capacity as (
    select load.available_hours
    from mart_load as load
    join target on load.line = target.line and load.period = target.period
),

reallocated as (
    select
        moved.*,
        moved.demand * alloc_share(cumulated.required_before, cumulated.required_hours,
                                   (select available_hours from capacity)) as new_supplied
    from moved
    join cumulated on cumulated.new_class = moved.new_class
),

losers as (
    select
        string_agg(printf('%s / %s: %.2f', product, market, supplied - new_supplied), '; '
                   order by supplied - new_supplied desc, product, market) as losers,
        sum(supplied - new_supplied) as lost_units
    from reallocated
    where not is_target and supplied - new_supplied > 1e-6
),

final as (
    select
        'reprioritise' as lever,
        target.product,
        target.market,
        target.period,
        target.line,
        case when target.reason = 'no_routing' then 'no_routing'
             when target.shortfall <= 0 then 'no_shortfall'
             when target.reason = 'no_capacity' then 'no_capacity'
             when target.priority_class <= top_class.top_class then 'already_top'
             when reallocated.new_supplied - target.supplied <= 1e-6 then 'no_gain'
             when reallocated.new_supplied >= target.demand * (1 - 1e-9) then 'closes'
             else 'partial' end as status,
        round(greatest(coalesce(reallocated.new_supplied, target.supplied) - target.supplied, 0), 6)
            as closes_units,
        round(greatest(coalesce(reallocated.new_supplied, target.supplied) - target.supplied, 0)
              / target.rate, 6) as hours,
        target.rate,
        target.priority_class,
        top_class.top_class,
        round(coalesce(reallocated.new_supplied, target.supplied), 6) as new_supplied,
        losers.losers,
        round(losers.lost_units, 6) as lost_units
    from target
    cross join top_class
    cross join losers
    left join reallocated on reallocated.is_target
)

select * from final
