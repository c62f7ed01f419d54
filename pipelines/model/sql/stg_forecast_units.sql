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

-- the few spellings of units once, not every row: no unit is the article's unit (spec section 2:
-- a forecast gives a unit where it differs)
spellings as (
    select distinct nullif(trim(unit), '') as unit from selected
),

unit_keys as (
    select spellings.unit, units.key as unit_key, units.kg as unit_kg, units.display
    from spellings
    join stg_units as units on units.unit = spellings.unit
),

grouped as (
    select
        selected.product,
        selected.market,
        grain_label(selected.period, selected.period_start, params.grain) as period,
        grain_start(selected.period_start, params.grain) as period_start,
        unit_keys.unit_key,
        any_value(unit_keys.unit_kg) as unit_kg,
        any_value(unit_keys.display) as unit_display,
        min(unit_keys.unit) as unit_given,
        sum(selected.quantity) as quantity
    from selected
    cross join params
    left join unit_keys on unit_keys.unit is not distinct from nullif(trim(selected.unit), '')
    group by all
),

products as (
    select product, unit, unit_key, unit_kind, kg_per_unit from stg_products
),

factored as (
    select
        grouped.*,
        products.product is not null as known_product,
        products.unit as article_unit,
        products.kg_per_unit,
        -- an article the master does not know yet is counted in the unit the forecast gives
        unit_factor(products.product is not null, grouped.unit_key, grouped.unit_kg,
                    products.unit_key, products.unit_kind, products.kg_per_unit) as factor
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
        case when known_product then article_unit else coalesce(unit_display, 'Stk') end
            as article_unit,
        factor,
        quantity * factor as demand,
        -- kilograms per unit of the quantity as given (a weight), or of the article's unit
        case when factor is null then unit_kg
             when known_product then kg_per_unit else unit_kg end as kg_per_unit,
        coalesce(unit_display, article_unit, 'Stk') as unit_given_display,
        case when factor is not null then null
             when unit_kg is not null then 'no_net_weight'
             else 'unit_mismatch' end as unit_problem
    from factored
)

select * from final
