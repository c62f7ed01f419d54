-- materialized: table
-- Product master of the selected version; a product is routed when it has a line and a rate > 0.
with selected as (
    select products.*
    from products
    join model_selection on model_selection.kind = 'products'
        and model_selection.version_id = products.version_id
),

final as (
    select
        product,
        line,
        rate,
        line is not null and rate is not null and rate > 0 as routed,
        name as product_name,
        product_group,
        unit,
        shelf_life_days,
        min_remaining_shelf_life_days,
        price,
        margin
    from selected
)

select * from final
