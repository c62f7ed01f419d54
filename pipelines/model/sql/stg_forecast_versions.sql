-- materialized: view
-- Demand of every forecast version at the grain of model_params, one row per version, PMC (market
-- folded, shown as first written) and period: what the version change and the look-back compare.
-- (The plan's own staging, stg_forecast, reads only the selected version.)
with params as (
    select grain from model_params
),

final as (
    select
        forecast.version_id,
        forecast.product,
        min(forecast.market) as market,
        grain_label(forecast.period, forecast.period_start, params.grain) as period,
        grain_start(forecast.period_start, params.grain) as period_start,
        sum(forecast.quantity) as quantity
    from forecast
    cross join params
    group by forecast.version_id, forecast.product, lower(forecast.market),
        grain_label(forecast.period, forecast.period_start, params.grain),
        grain_start(forecast.period_start, params.grain)
)

select * from final
