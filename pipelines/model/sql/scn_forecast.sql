-- materialized: table
-- Scenario overlay of stg_forecast: the PMC-periods a demand or new-PMC change reaches take their
-- scenario demand (scn_forecast_changes), in the unit the staged row has (a new PMC: its
-- article's unit); every other PMC-period passes unchanged.
with changed as (
    select * from scn_forecast_changes
),

products as (
    select product, unit, kg_per_unit from stg_products
),

final as (
    select forecast.product, forecast.market, forecast.period, forecast.period_start, forecast.demand,
        forecast.unit, forecast.convertible, forecast.unit_problem, forecast.kg_per_unit
    from stg_forecast as forecast
    anti join changed on changed.product = forecast.product and changed.market = forecast.market
        and changed.period = forecast.period
    union all
    select changed.product, changed.market, changed.period, changed.period_start, changed.demand,
        scenario_unit(forecast.unit, products.unit) as unit,
        scenario_convertible(forecast.convertible) as convertible,
        forecast.unit_problem,
        scenario_kg_per_unit(forecast.kg_per_unit, products.kg_per_unit) as kg_per_unit
    from changed
    left join stg_forecast as forecast on forecast.product = changed.product
        and forecast.market = changed.market and forecast.period = changed.period
    left join products on products.product = changed.product
)

select * from final
