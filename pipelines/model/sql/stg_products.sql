-- materialized: table
-- Product master of the selected version; a product is routed when it has a line and a rate > 0.
-- The unit and the rate's unit are stored as given and converted here (spec sections 2 and 5): a
-- rate in kg/h is units per hour through the net weight, so a corrected net weight applies at once.
with selected as (
    select products.*
    from products
    join model_selection on model_selection.kind = 'products'
        and model_selection.version_id = products.version_id
),

-- lines are compared folded: a line the capacity spells differently takes the capacity's spelling
capacity_spelling as (
    select lower(trim(capacity.line)) as line_key, min(capacity.line) as line
    from capacity
    join model_selection on model_selection.kind = 'capacity'
        and model_selection.version_id = capacity.version_id
    group by all
),

units as (
    select * from stg_units
),

weighed as (
    select
        selected.*,
        units.display as article_unit,
        units.key as unit_key,
        units.kind as unit_kind,
        -- kilograms per unit of the article: a weight unit is its own weight, else the net weight
        coalesce(units.kg, case when selected.net_weight > 0 then selected.net_weight end)
            as kg_per_unit,
        coalesce(selected.rate_unit = 'kg/h', false) as rate_in_kg
    from selected
    left join units on units.unit is not distinct from nullif(trim(selected.unit), '')
),

converted as (
    select
        weighed.*,
        case when not rate_in_kg then weighed.rate
             when kg_per_unit > 0 then weighed.rate / kg_per_unit end as units_per_hour
    from weighed
),

final as (
    select
        product,
        coalesce(capacity_spelling.line, converted.line) as line,
        units_per_hour as rate,
        converted.line is not null and units_per_hour is not null and units_per_hour > 0 as routed,
        name as product_name,
        product_group,
        article_unit as unit,
        shelf_life_days,
        min_remaining_shelf_life_days,
        price,
        margin,
        unit_kind,
        unit_key,
        kg_per_unit,
        coalesce(changeover_hours, 0) as changeover_hours,
        converted.rate as rate_given,
        case when rate_in_kg then 'kg/h' end as rate_unit,
        -- why an article with a line and a rate is not routed: its kg/h rate needs a net weight
        case when rate_in_kg and converted.rate > 0 and kg_per_unit is null then 'no_net_weight' end
            as routing_problem
    from converted
    left join capacity_spelling on capacity_spelling.line_key = lower(trim(converted.line))
)

select * from final
