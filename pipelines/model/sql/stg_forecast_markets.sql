-- materialized: table
-- The markets of the selected forecast as it spells them (a handful of rows): a scenario finds a
-- market it names here, so the plan's rows are matched by equality, not by folding every row.
with final as (
    select distinct market from stg_forecast
)

select * from final
