-- materialized: table
-- The plan's horizon: every period with demand or capacity in the selected versions, at the common
-- grain (a scenario's new PMCs and capacity changes reach these periods).
with params as (
    select grain from model_params
),

forecast_periods as (
    select distinct forecast.period, forecast.period_start
    from forecast
    join model_selection on model_selection.kind = 'forecast'
        and model_selection.version_id = forecast.version_id
),

capacity_periods as (
    select distinct capacity.period, capacity.period_start
    from capacity
    join model_selection on model_selection.kind = 'capacity'
        and model_selection.version_id = capacity.version_id
),

final as (
    select distinct
        grain_label(raw.period, raw.period_start, params.grain) as period,
        grain_start(raw.period_start, params.grain) as period_start
    from (select * from forecast_periods union select * from capacity_periods) as raw
    cross join params
)

select * from final
