-- materialized: view
-- Planned quantity per product, line and period of the selected plan version at the common grain.
with selected as (
    select plan.*
    from plan
    join model_selection on model_selection.kind = 'plan'
        and model_selection.version_id = plan.version_id
),

params as (
    select grain from model_params
),

final as (
    select
        selected.product,
        selected.line,
        grain_label(selected.period, selected.period_start, params.grain) as period,
        grain_start(selected.period_start, params.grain) as period_start,
        sum(selected.planned_quantity) as planned_quantity
    from selected
    cross join params
    group by all
)

select * from final
