-- materialized: table
-- Priority class and name of each market of the selected version. Markets are compared folded
-- (case-insensitive, trimmed): a market the forecast spells differently (`LEH SÜD` against
-- `LEH Süd`) takes the forecast's spelling, so the gap model's join finds its class.
with selected as (
    select markets.*
    from markets
    join model_selection on model_selection.kind = 'markets'
        and model_selection.version_id = markets.version_id
),

forecast_spelling as (
    select lower(trim(forecast.market)) as market_key, min(forecast.market) as market
    from forecast
    join model_selection on model_selection.kind = 'forecast'
        and model_selection.version_id = forecast.version_id
    group by all
),

final as (
    select
        coalesce(forecast_spelling.market, selected.market) as market,
        selected.priority_class,
        selected.name as market_name
    from selected
    left join forecast_spelling on forecast_spelling.market_key = lower(trim(selected.market))
)

select * from final
