-- materialized: table
-- Each scope item of an agreement with its gap now (spec section 6, judging agreements): a PMC-period
-- reads its row of mart_gaps (market in any case), a line-period the PMC-periods on the line and the
-- line's overload in mart_load. An item that no longer appears in the data and lies before the
-- plan's first period is past. Verdict: held = no shortfall left (the conflict rule of mart_gaps),
-- partly = less than before, not held = the same or more.
-- Reads the temp table agreement_items (the stored agreement_scope plus period_start of its label).
with items as (
    select * from agreement_items
),

-- only the periods the items name: the CTE is read twice, so it is held (all of a large plan's
-- 4 M gap rows took a second to copy with no agreement at all)
gaps as (
    select product, market, line, period, demand, supplied, shortfall, unit
    from mart_gaps
    semi join items on items.period = mart_gaps.period
),

pmc_now as (
    select items.agreement_id, items.item, count(gaps.product) > 0 as present,
        coalesce(sum(gaps.demand), 0) as demand_now,
        coalesce(sum(gaps.supplied), 0) as supplied_now,
        coalesce(sum(gaps.shortfall), 0) as shortfall_now,
        min(gaps.unit) as unit
    from items
    left join gaps on gaps.product = items.product
        and lower(gaps.market) = lower(items.market)
        and gaps.period = items.period
    where items.scope = 'pmc'
    group by all
),

line_gaps as (
    select items.agreement_id, items.item, count(gaps.product) as rows,
        coalesce(sum(gaps.demand), 0) as demand_now,
        coalesce(sum(gaps.supplied), 0) as supplied_now,
        coalesce(sum(gaps.shortfall), 0) as shortfall_now
    from items
    left join gaps on lower(coalesce(gaps.line, '')) = lower(items.line)
        and gaps.period = items.period
    where items.scope = 'line'
    group by all
),

line_load as (
    select items.agreement_id, items.item, count(mart_load.line) as rows,
        coalesce(sum(coalesce(mart_load.overload_hours, 0)), 0) as overload_hours_now
    from items
    left join mart_load on lower(mart_load.line) = lower(items.line)
        and mart_load.period = items.period
    where items.scope = 'line'
    group by all
),

line_now as (
    select line_gaps.agreement_id, line_gaps.item, line_gaps.rows + line_load.rows > 0 as present,
        line_gaps.demand_now, line_gaps.supplied_now, line_gaps.shortfall_now,
        line_load.overload_hours_now
    from line_gaps
    join line_load using (agreement_id, item)
),

now as (
    select agreement_id, item, present, demand_now, supplied_now, shortfall_now,
        null::double as overload_hours_now, unit
    from pmc_now
    union all
    -- a line's PMCs are of several articles: their quantities have no one unit
    select agreement_id, item, present, demand_now, supplied_now, shortfall_now, overload_hours_now,
        null::text as unit
    from line_now
),

first_period as (
    select min(period_start) as first_start from mart_gaps
),

final as (
    select
        items.agreement_id, items.item, items.scope, items.product, items.market, items.line,
        items.period, items.demand_before, items.supplied_before, items.shortfall_before,
        items.overload_hours_before, now.demand_now, now.supplied_now, now.shortfall_now,
        now.overload_hours_now, now.unit,
        coalesce(not now.present and first_period.first_start is not null
                 and items.period_start < first_period.first_start, false) as past,
        case when coalesce(not now.present and first_period.first_start is not null
                           and items.period_start < first_period.first_start, false) then 'past'
             else agreement_verdict(coalesce(items.shortfall_before, 0), now.shortfall_now)
        end as verdict
    from items
    join now using (agreement_id, item)
    cross join first_period
)

select * from final
