-- materialized: table
-- Demand of the current forecast version minus the previous one per PMC and period (spec section 6),
-- full outer join: a PMC-period only in the previous version shows as -previous ('vanished'), one
-- only in the current as +current ('new'). With $overlap, only periods inside both versions'
-- horizons count, so weeks that merely rolled in or out of the horizon do not read as moves.
-- Quantities are in the article's unit of the staged product master, whatever unit each version
-- was written in (stg_forecast_versions); `unit` and `kg_per_unit` say which (the current version's
-- where both have the PMC-period).
-- Reads stg_forecast_versions. Params: $current_version, $previous_version, $overlap (boolean).
-- Each version is read on its own (a CTE of both, read four times, was held in full: 8 M rows of
-- a large plan copied before the join).
with current_demand as (
    select product, market, period, period_start, quantity as current, unit, kg_per_unit
    from stg_forecast_versions where version_id = $current_version
),

previous_demand as (
    select product, market, period, period_start, quantity as previous, unit, kg_per_unit
    from stg_forecast_versions where version_id = $previous_version
),

horizon as (
    select
        greatest((select min(period_start) from current_demand),
                 (select min(period_start) from previous_demand)) as first_start,
        least((select max(period_start) from current_demand),
              (select max(period_start) from previous_demand)) as last_start
),

joined as (
    select
        coalesce(current_demand.product, previous_demand.product) as product,
        coalesce(current_demand.market, previous_demand.market) as market,
        coalesce(current_demand.period, previous_demand.period) as period,
        coalesce(current_demand.period_start, previous_demand.period_start) as period_start,
        coalesce(previous_demand.previous, 0) as previous,
        coalesce(current_demand.current, 0) as current,
        coalesce(current_demand.unit, previous_demand.unit) as unit,
        case when current_demand.product is not null then current_demand.kg_per_unit
             else previous_demand.kg_per_unit end as kg_per_unit
    from current_demand
    full outer join previous_demand
        on previous_demand.product = current_demand.product
        and lower(previous_demand.market) = lower(current_demand.market)
        and previous_demand.period = current_demand.period
),

final as (
    select
        joined.*,
        joined.current - joined.previous as change,
        case when joined.previous = 0 and joined.current <> 0 then 'new'
             when joined.current = 0 and joined.previous <> 0 then 'vanished'
             when joined.current = joined.previous then 'same'
             else 'changed' end as status
    from joined
    cross join horizon
    where not $overlap
        or (joined.period_start >= horizon.first_start and joined.period_start <= horizon.last_start)
)

select * from final
