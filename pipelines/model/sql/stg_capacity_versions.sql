-- materialized: view
-- Available and maximum hours of every capacity version at the grain of model_params, one row per
-- version, line (folded, shown as first written) and period: what the version change compares.
-- Maximum hours stay empty where none of the period's weeks has them.
with params as (
    select grain from model_params
),

final as (
    select
        capacity.version_id,
        min(capacity.line) as line,
        grain_label(capacity.period, capacity.period_start, params.grain) as period,
        grain_start(capacity.period_start, params.grain) as period_start,
        sum(capacity.available_hours) as available_hours,
        sum(capacity.max_hours) as max_hours
    from capacity
    cross join params
    group by capacity.version_id, lower(capacity.line),
        grain_label(capacity.period, capacity.period_start, params.grain),
        grain_start(capacity.period_start, params.grain)
)

select * from final
