-- materialized: table
-- Article numbers as the ERP writes them (`000815` for the product `815`): the display form kept
-- at ingest (first seen, master data first). Joins use the normal form; only display reads this.
with written as (
    select key_folded as product, display as product_display
    from keys
    where key_type = 'product'
),

final as (
    select product, min(product_display) as product_display
    from written
    group by product
)

select * from final
