-- query: parameters $products, $markets, $periods (lists: the i-th items name one PMC-period)
-- Extra-hours lever of each conflict named: shortfall / rate hours on the same line in the same
-- period, limited by the headroom max - available where the capacity input gives maximum hours.
with targets as (
    select unnest($products) as product, unnest($markets) as market, unnest($periods) as period
),

conflict as (
    select gaps.*
    from mart_gaps as gaps
    semi join targets on targets.product = gaps.product and targets.market = gaps.market
        and targets.period = gaps.period
),

joined as (
    select
        conflict.*,
        load.max_hours,
        load.headroom_hours,
        conflict.shortfall / conflict.rate as hours_needed,
        -- what the line needs so that the allocation rule itself serves this PMC in full
        greatest(class_hours.required_before + class_hours.required_hours
                 - coalesce(class_hours.available_hours, 0), 0) as line_hours_to_close
    from conflict
    left join mart_load as load on load.line = conflict.line and load.period = conflict.period
    left join int_class_hours as class_hours on class_hours.line = conflict.line
        and class_hours.period = conflict.period
        and class_hours.priority_class = conflict.priority_class
),

classified as (
    select
        joined.*,
        case when reason = 'no_routing' then 'no_routing'
             when shortfall <= 0 then 'no_shortfall'
             when headroom_hours is null then 'no_max_hours'
             when headroom_hours >= hours_needed * (1 - 1e-9) then 'within_max'
             else 'beyond_max' end as status
    from joined
),

final as (
    select
        'extra_hours' as lever,
        product,
        market,
        period,
        line,
        status,
        case when status in ('no_max_hours', 'within_max') then shortfall
             when status = 'beyond_max' then round(headroom_hours * rate, 6)
             else 0.0 end as closes_units,
        case when status in ('no_max_hours', 'within_max') then round(hours_needed, 6)
             when status = 'beyond_max' then round(headroom_hours, 6)
             else 0.0 end as hours,
        round(hours_needed, 6) as hours_needed,
        rate,
        max_hours,
        headroom_hours,
        round(line_hours_to_close, 6) as line_hours_to_close
    from classified
)

select * from final
