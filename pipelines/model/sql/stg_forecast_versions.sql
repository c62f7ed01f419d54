-- materialized: view
-- Demand of every forecast version at the grain of model_params, one row per version, PMC (market
-- folded, shown as first written) and period: what the version change and the look-back compare.
-- (The plan's own staging, stg_forecast, reads only the selected version.)
with final as (
    select * from pmc_quantities('forecast', (select grain from model_params))
)

select * from final
