-- materialized: view
-- Incremental scenario: the demand rows whose gaps differ from the base's, as they are in the
-- scenario (mart_gaps.sql on them, summed by mart_kpi_classes.sql, is what the scenario adds).
with final as (
    select * from scn_delta_demand
    union all
    select * from scn_reallocated_demand
)

select * from final
