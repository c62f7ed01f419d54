-- materialized: table
-- The selected forecast per PMC, period and unit as the file gives it, with the factor into the
-- article's unit (spec sections 2 and 5 "Units"): the unit is stored as given and converted here,
-- so a forecast uploaded before the master data, or a corrected net weight, counts at once.
-- A row that cannot be converted (kg for an article in pieces without a net weight, a unit that is
-- neither the article's nor a weight) keeps its given unit and names the problem.
with selected as (
    select forecast.*
    from forecast
    join model_selection on model_selection.kind = 'forecast'
        and model_selection.version_id = forecast.version_id
),

params as (
    select grain from model_params
),

grouped as (
    select
        selected.product,
        selected.market,
        grain_label(selected.period, selected.period_start, params.grain) as period,
        grain_start(selected.period_start, params.grain) as period_start,
        -- no unit: the article's unit (spec section 2: a unit is given where it differs)
        case when nullif(trim(selected.unit), '') is not null then unit_key(selected.unit) end
            as unit_key,
        min(nullif(trim(selected.unit), '')) as unit_given,
        sum(selected.quantity) as quantity
    from selected
    cross join params
    group by all
),

products as (
    select product, unit, kg_per_unit from stg_products
),

factored as (
    select
        grouped.*,
        products.product is not null as known_product,
        products.unit as article_unit,
        products.kg_per_unit,
        case
            -- an article the master does not know yet is counted in the unit the forecast gives
            when products.product is null then 1.0
            when grouped.unit_key is null or grouped.unit_key = unit_key(products.unit) then 1.0
            -- pieces of an article kept in cups or cartons: one piece is one unit
            when grouped.unit_key = 'stk' and unit_kind(products.unit) = 'other' then 1.0
            when unit_kg(grouped.unit_given) is not null and products.kg_per_unit > 0
                then unit_kg(grouped.unit_given) / products.kg_per_unit
        end as factor
    from grouped
    left join products on products.product = grouped.product
),

final as (
    select
        product,
        market,
        period,
        period_start,
        unit_given,
        quantity,
        case when known_product then article_unit else unit_display(unit_given) end as article_unit,
        factor,
        quantity * factor as demand,
        case when factor is not null then null
             when unit_kg(unit_given) is not null then 'no_net_weight'
             else 'unit_mismatch' end as unit_problem
    from factored
)

select * from final
