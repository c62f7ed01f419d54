-- materialized: view
-- Incremental scenario: the demand rows whose gaps differ from the base's, as they are in the
-- base (mart_gaps.sql on them with the base's allocation is what the scenario takes away).
with final as (
    select * from scn_delta_base
    union all
    select * from scn_reallocated_demand
)

select * from final
