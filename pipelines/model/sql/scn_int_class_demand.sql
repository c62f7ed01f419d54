-- materialized: table
-- Incremental scenario: int_class_demand with the changes laid on: per line-period and class the
-- base's hours and PMC-periods, minus what the changed rows were in the base
-- (scn_class_demand_removed: int_class_demand.sql on scn_delta_base), plus what they are in the
-- scenario (scn_class_demand_added: on scn_delta_demand); a class whose PMC-periods all left is
-- dropped, as a fresh sum would not have it. A class no change reaches keeps the base's figures.
with joined as (
    select
        line,
        period,
        priority_class,
        coalesce(base.period_start, removed.period_start, added.period_start) as period_start,
        coalesce(base.required_hours, 0) - coalesce(removed.required_hours, 0)
            + coalesce(added.required_hours, 0) as required_hours,
        coalesce(base.pmc_periods, 0) - coalesce(removed.pmc_periods, 0)
            + coalesce(added.pmc_periods, 0) as pmc_periods
    from int_class_demand as base
    full outer join scn_class_demand_removed as removed using (line, period, priority_class)
    full outer join scn_class_demand_added as added using (line, period, priority_class)
),

final as (
    select * from joined where pmc_periods > 0
)

select * from final
