-- materialized: view
-- One row per short PMC-period (scope 'pmc') and per short line-period (scope 'line': demand left
-- unserved, overload hours above 0) with the conflict episode it belongs to: the run of
-- consecutive periods of the horizon in which that PMC (or line) is short (spec section 6). An
-- agreement made on one period concerns its whole episode unless the meeting narrows it.
with periods as (
    -- the horizon's periods in order: "consecutive" means next in this list
    select period, period_start, row_number() over (order by period_start) as period_no
    from (
        select distinct period, period_start from mart_gaps
        union
        select distinct period, period_start from mart_load
    )
),

short as (
    select 'pmc' as scope, product, market, null::text as line, period, shortfall,
        null::double as overload_hours
    from mart_gaps
    where is_conflict
    union all
    select 'line' as scope, null::text, null::text, line, period, null::double,
        overload_hours
    from mart_load
    where round(overload_hours, 6) > 0
),

numbered as (
    select short.*, periods.period_start, periods.period_no,
        -- gaps and islands: within a run, period_no minus the row's rank stays the same
        periods.period_no - row_number() over (
            partition by scope, product, market, line order by periods.period_no) as island
    from short
    join periods using (period)
),

final as (
    select
        scope,
        product,
        market,
        line,
        period,
        period_start,
        dense_rank() over (partition by scope, product, market, line order by island) as episode,
        arg_min(period, period_start) over run as first_period,
        arg_max(period, period_start) over run as last_period,
        count(*) over run as periods,
        round(sum(shortfall) over run, 6) as episode_shortfall,
        round(sum(overload_hours) over run, 6) as episode_overload_hours
    from numbered
    window run as (partition by scope, product, market, line, island)
)

select * from final
