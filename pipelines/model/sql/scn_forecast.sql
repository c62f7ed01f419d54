-- materialized: table
-- Scenario overlay of stg_forecast: the PMC-periods a demand or new-PMC change reaches take their
-- scenario demand (scn_forecast_changes); every other PMC-period passes unchanged.
with changed as (
    select * from scn_forecast_changes
),

final as (
    select forecast.product, forecast.market, forecast.period, forecast.period_start, forecast.demand
    from stg_forecast as forecast
    anti join changed on changed.product = forecast.product and changed.market = forecast.market
        and changed.period = forecast.period
    union all
    select product, market, period, period_start, demand from changed
)

select * from final
