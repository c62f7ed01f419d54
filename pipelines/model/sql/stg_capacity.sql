-- materialized: view
-- Available and maximum hours per line-period of the selected capacity version at the common grain.
-- A summed period has maximum hours where any of its weeks has them; weeks without count their
-- available hours as their maximum.
with selected as (
    select capacity.*
    from capacity
    join model_selection on model_selection.kind = 'capacity'
        and model_selection.version_id = capacity.version_id
),

params as (
    select grain from model_params
),

final as (
    select
        selected.line,
        grain_label(selected.period, selected.period_start, params.grain) as period,
        grain_start(selected.period_start, params.grain) as period_start,
        sum(selected.available_hours) as available_hours,
        case when count(selected.max_hours) > 0
             then sum(coalesce(selected.max_hours, selected.available_hours)) end as max_hours
    from selected
    cross join params
    group by all
)

select * from final
