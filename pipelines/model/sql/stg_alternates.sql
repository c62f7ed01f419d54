-- materialized: view
-- Alternate lines of the selected version (used only by the other-line lever); a rate in kg/h is
-- units per hour through the article's net weight, as on its main line.
with selected as (
    select alternates.*
    from alternates
    join model_selection on model_selection.kind = 'alternates'
        and model_selection.version_id = alternates.version_id
),

converted as (
    select
        selected.product,
        selected.line,
        case when coalesce(selected.rate_unit = 'kg/h', false)
             then case when products.kg_per_unit > 0 then selected.rate / products.kg_per_unit end
             else selected.rate end as rate
    from selected
    left join stg_products as products on products.product = selected.product
),

final as (
    select product, line, rate
    from converted
    where line is not null and rate > 0
)

select * from final
