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

runs as (
    -- one row per run: its numbers once, then spread over its periods (aggregating the runs and
    -- joining back is a third cheaper than windows over every short period of a large plan)
    select scope, product, market, line, island,
        arg_min(period, period_start) as first_period,
        arg_max(period, period_start) as last_period,
        count(*) as periods,
        round(sum(shortfall), 6) as episode_shortfall,
        round(sum(overload_hours), 6) as episode_overload_hours
    from numbered
    group by all
),

episodes as (
    select runs.*,
        row_number() over (partition by scope, product, market, line order by island) as episode
    from runs
),

final as (
    select
        numbered.scope,
        numbered.product,
        numbered.market,
        numbered.line,
        numbered.period,
        numbered.period_start,
        episodes.episode,
        episodes.first_period,
        episodes.last_period,
        episodes.periods,
        episodes.episode_shortfall,
        episodes.episode_overload_hours
    from numbered
    join episodes on episodes.scope = numbered.scope and episodes.island = numbered.island
        and episodes.product is not distinct from numbered.product
        and episodes.market is not distinct from numbered.market
        and episodes.line is not distinct from numbered.line
)

select * from final
