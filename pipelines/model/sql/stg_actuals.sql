-- materialized: view
-- Actual sales of the selected actuals version at the grain of model_params, one row per PMC
-- (market folded, shown as first written) and period: what the look-back holds the forecast against.
with quantities as (
    select * from pmc_quantities('actuals', (select grain from model_params))
),

final as (
    select quantities.product, quantities.market, quantities.period, quantities.period_start,
        quantities.quantity as actual, quantities.unit, quantities.kg_per_unit
    from quantities
    join model_selection on model_selection.kind = 'actuals'
        and model_selection.version_id = quantities.version_id
)

select * from final
