-- query: parameters $products, $markets, $periods (lists: the i-th items name one PMC-period)
-- Extra-hours lever of each conflict named: the hours on the same line in the same period that
-- close it, limited by the headroom max - available where the capacity input gives maximum hours.
-- shortfall / rate (spec 5) closes it only when every extra hour goes to this PMC; the allocation
-- gives them first to higher classes that are short too, shares them within the PMC's class and
-- counts its changeover share, so the hours that close it are what the line needs for the
-- allocation itself to serve the PMC in full, where that is more (a what-if with fewer left the
-- shortfall unchanged).
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
        class_hours.required_before,
        class_hours.required_hours as class_required_hours,
        coalesce(class_hours.available_hours, 0) as line_available_hours,
        coalesce(class_hours.share, 0) as share,
        class_demand.pmc_periods as class_pmc_periods,
        conflict.shortfall / conflict.rate as hours_needed,
        -- what the line needs so that the allocation rule itself serves this PMC in full
        greatest(class_hours.required_before + class_hours.required_hours
                 - coalesce(class_hours.available_hours, 0), 0) as line_hours_to_close
    from conflict
    left join mart_load as load on load.line = conflict.line and load.period = conflict.period
    left join int_class_hours as class_hours on class_hours.line = conflict.line
        and class_hours.period = conflict.period
        and class_hours.priority_class = conflict.priority_class
    left join int_class_demand as class_demand on class_demand.line = conflict.line
        and class_demand.period = conflict.period
        and class_demand.priority_class = conflict.priority_class
),

-- why the line needs more than shortfall / rate (null where the two agree but for float noise)
caused as (
    select
        joined.*,
        case when not (line_hours_to_close - hours_needed > 1e-6 + 1e-9 * hours_needed) then null
             when required_before > line_available_hours * (1 + 1e-9) + 1e-9 then 'higher_classes'
             when class_pmc_periods > 1 then 'own_class'
             else 'changeover' end as allocation_cause
    from joined
),

closing as (
    select
        caused.*,
        case when allocation_cause is null then hours_needed else line_hours_to_close end
            as hours_to_close
    from caused
),

classified as (
    select
        closing.*,
        case when reason = 'no_routing' then 'no_routing'
             when shortfall <= 0 then 'no_shortfall'
             when headroom_hours is null then 'no_max_hours'
             when headroom_hours >= hours_to_close * (1 - 1e-9) then 'within_max'
             else 'beyond_max' end as status
    from closing
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
             -- the headroom as the allocation shares it: higher classes first, then by hours
             when status = 'beyond_max' then round(
                 demand * (alloc_share(required_before, class_required_hours,
                                       line_available_hours + headroom_hours) - share), 6)
             else 0.0 end as closes_units,
        case when status in ('no_max_hours', 'within_max') then round(hours_to_close, 6)
             when status = 'beyond_max' then round(headroom_hours, 6)
             else 0.0 end as hours,
        round(hours_needed, 6) as hours_needed,
        rate,
        max_hours,
        headroom_hours,
        round(line_hours_to_close, 6) as line_hours_to_close,
        round(hours_to_close, 6) as hours_to_close,
        allocation_cause,
        priority_class
    from classified
)

select * from final
