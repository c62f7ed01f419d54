-- materialized: table
-- Product master of the selected version; a product is routed when it has a line and a rate > 0.
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

final as (
    select
        product,
        coalesce(capacity_spelling.line, selected.line) as line,
        rate,
        selected.line is not null and rate is not null and rate > 0 as routed,
        name as product_name,
        product_group,
        unit,
        shelf_life_days,
        min_remaining_shelf_life_days,
        price,
        margin
    from selected
    left join capacity_spelling on capacity_spelling.line_key = lower(trim(selected.line))
)

select * from final
