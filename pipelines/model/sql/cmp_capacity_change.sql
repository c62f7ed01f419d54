-- materialized: table
-- Available and maximum hours of the current capacity version minus the previous one per line and
-- period, full outer join: a line-period only in the previous version shows as -hours.
-- Reads stg_capacity_versions. Params: $current_version, $previous_version.
with rows as (
    select * from stg_capacity_versions
    where version_id in ($current_version, $previous_version)
),

current_hours as (
    select line, period, period_start, available_hours as current_hours,
        max_hours as current_max_hours
    from rows where version_id = $current_version
),

previous_hours as (
    select line, period, period_start, available_hours as previous_hours,
        max_hours as previous_max_hours
    from rows where version_id = $previous_version
),

final as (
    select
        coalesce(current_hours.line, previous_hours.line) as line,
        coalesce(current_hours.period, previous_hours.period) as period,
        coalesce(current_hours.period_start, previous_hours.period_start) as period_start,
        coalesce(previous_hours.previous_hours, 0) as previous_hours,
        coalesce(current_hours.current_hours, 0) as current_hours,
        coalesce(current_hours.current_hours, 0) - coalesce(previous_hours.previous_hours, 0)
            as change_hours,
        previous_hours.previous_max_hours,
        current_hours.current_max_hours,
        coalesce(current_hours.current_max_hours, 0) - coalesce(previous_hours.previous_max_hours, 0)
            as change_max_hours
    from current_hours
    full outer join previous_hours
        on lower(previous_hours.line) = lower(current_hours.line)
        and previous_hours.period = current_hours.period
)

select * from final
