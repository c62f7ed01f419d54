-- query: parameters $products, $markets, $periods (lists: the i-th items name one PMC-period)
-- Reprioritise lever of each conflict named: the allocation of its line-period re-run with the
-- PMC raised to the line's top class in that period; what it would receive and which PMCs would
-- lose. Every step is per conflict (target_*): two conflicts on one line-period are two re-runs.
with targets as (
    select unnest($products) as product, unnest($markets) as market, unnest($periods) as period
),

target as (
    select gaps.*
    from mart_gaps as gaps
    semi join targets on targets.product = gaps.product and targets.market = gaps.market
        and targets.period = gaps.period
),

peers as (
    select
        target.product as target_product,
        target.market as target_market,
        target.period as target_period,
        gaps.*
    from target
    join mart_gaps as gaps on gaps.line = target.line and gaps.period = target.period
),

top_class as (
    select target_product, target_market, target_period, min(priority_class) as top_class
    from peers
    group by all
),

moved as (
    select
        peers.*,
        peers.product = peers.target_product and peers.market = peers.target_market as is_target,
        case when peers.product = peers.target_product and peers.market = peers.target_market
             then top_class.top_class else peers.priority_class end as new_class
    from peers
    join top_class using (target_product, target_market, target_period)
),

classes as (
    select target_product, target_market, target_period, new_class,
        sum(required_hours) as required_hours
    from moved
    group by all
),

cumulated as (
    select
        classes.*,
        coalesce(sum(required_hours) over (
            partition by target_product, target_market, target_period
            order by new_class rows between unbounded preceding and 1 preceding), 0)
            as required_before
    from classes
),

capacity as (
    select
        target.product as target_product,
        target.market as target_market,
        target.period as target_period,
        load.available_hours
    from target
    join mart_load as load on load.line = target.line and load.period = target.period
),

reallocated as (
    select
        moved.*,
        moved.demand * alloc_share(cumulated.required_before, cumulated.required_hours,
                                   capacity.available_hours) as new_supplied
    from moved
    join cumulated using (target_product, target_market, target_period, new_class)
    left join capacity using (target_product, target_market, target_period)
),

losers as (
    select
        target_product,
        target_market,
        target_period,
        -- each in its article's unit: pieces, cups and kg are never added or listed as one
        string_agg(printf('%s / %s: %.2f %s', product, market, supplied - new_supplied,
                          coalesce(unit, '')), '; '
                   order by supplied - new_supplied desc, product, market) as losers,
        sum(supplied - new_supplied) as lost_units
    from reallocated
    where not is_target and supplied - new_supplied > 1e-6
    group by all
),

gainer as (
    select target_product, target_market, target_period, new_supplied
    from reallocated
    where is_target
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
             when gainer.new_supplied - target.supplied <= 1e-6 then 'no_gain'
             when gainer.new_supplied >= target.demand * (1 - 1e-9) then 'closes'
             else 'partial' end as status,
        round(greatest(coalesce(gainer.new_supplied, target.supplied) - target.supplied, 0), 6)
            as closes_units,
        round(greatest(coalesce(gainer.new_supplied, target.supplied) - target.supplied, 0)
              / target.rate, 6) as hours,
        target.rate,
        target.priority_class,
        top_class.top_class,
        round(coalesce(gainer.new_supplied, target.supplied), 6) as new_supplied,
        losers.losers,
        round(losers.lost_units, 6) as lost_units
    from target
    left join top_class on top_class.target_product = target.product
        and top_class.target_market = target.market and top_class.target_period = target.period
    left join losers on losers.target_product = target.product
        and losers.target_market = target.market and losers.target_period = target.period
    left join gainer on gainer.target_product = target.product
        and gainer.target_market = target.market and gainer.target_period = target.period
)

select * from final
