-- materialized: table
-- Incremental scenario: mart_kpi_classes with the changes laid on: per period and class the base's
-- sums and counts, minus the figures the changed rows had in the base (scn_kpi_classes_removed),
-- plus those they have in the scenario (scn_kpi_classes_added); a class left without PMC-periods
-- in a period is dropped, and the money stays unknown where no row has a price, as a fresh sum
-- would have them. A period and class no change reaches keeps the base's figures.
with joined as (
    select
        period_start,
        priority_class,
        coalesce(base.demand, 0) - coalesce(removed.demand, 0) + coalesce(added.demand, 0)
            as demand,
        coalesce(base.supplied, 0) - coalesce(removed.supplied, 0) + coalesce(added.supplied, 0)
            as supplied,
        coalesce(base.shortfall, 0) - coalesce(removed.shortfall, 0)
            + coalesce(added.shortfall, 0) as shortfall,
        coalesce(base.shortfall_hours, 0) - coalesce(removed.shortfall_hours, 0)
            + coalesce(added.shortfall_hours, 0) as shortfall_hours,
        coalesce(base.shortfall_value, 0) - coalesce(removed.shortfall_value, 0)
            + coalesce(added.shortfall_value, 0) as shortfall_value,
        coalesce(base.valued_rows, 0) - coalesce(removed.valued_rows, 0)
            + coalesce(added.valued_rows, 0) as valued_rows,
        coalesce(base.pmc_periods, 0) - coalesce(removed.pmc_periods, 0)
            + coalesce(added.pmc_periods, 0) as pmc_periods,
        coalesce(base.open_conflicts, 0) - coalesce(removed.open_conflicts, 0)
            + coalesce(added.open_conflicts, 0) as open_conflicts
    from mart_kpi_classes as base
    full outer join scn_kpi_classes_removed as removed using (period_start, priority_class)
    full outer join scn_kpi_classes_added as added using (period_start, priority_class)
),

final as (
    select * replace (case when valued_rows > 0 then shortfall_value end as shortfall_value)
    from joined
    where pmc_periods > 0
)

select * from final
