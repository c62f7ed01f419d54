-- materialized: view
-- Actual sales of the selected actuals version at the grain of model_params, one row per PMC
-- (market folded, shown as first written) and period: what the look-back holds the forecast against.
with selected as (
    select actuals.*
    from actuals
    join model_selection on model_selection.kind = 'actuals'
        and model_selection.version_id = actuals.version_id
),

params as (
    select grain from model_params
),

final as (
    select
        selected.product,
        min(selected.market) as market,
        grain_label(selected.period, selected.period_start, params.grain) as period,
        grain_start(selected.period_start, params.grain) as period_start,
        sum(selected.quantity) as actual
    from selected
    cross join params
    group by selected.product, lower(selected.market),
        grain_label(selected.period, selected.period_start, params.grain),
        grain_start(selected.period_start, params.grain)
)

select * from final
