-- materialized: view
-- Demand of the selected forecast version at the common grain (weeks summed to months when needed).
with selected as (
    select forecast.*
    from forecast
    join model_selection on model_selection.kind = 'forecast'
        and model_selection.version_id = forecast.version_id
),

params as (
    select grain from model_params
),

final as (
    select
        selected.product,
        selected.market,
        grain_label(selected.period, selected.period_start, params.grain) as period,
        grain_start(selected.period_start, params.grain) as period_start,
        sum(selected.quantity) as demand
    from selected
    cross join params
    group by all
)

select * from final
