-- materialized: table
-- Forecast change (cmp_forecast_change) summed per market (folded, shown as first written) or per
-- product group of the product master (empty group as '–'): the demand page's waterfall, meeting
-- step 1 and the pack. Largest moves first.
-- Params: $by ('market' | 'product_group'), $products_version (the master data for the groups).
with change as (
    select * from cmp_forecast_change
),

groups as (
    select product, any_value(product_group) as product_group
    from products
    where version_id = $products_version
    group by product
),

keyed as (
    select
        case when $by = 'market' then lower(change.market)
             else coalesce(groups.product_group, '–') end as group_key,
        case when $by = 'market' then change.market
             else coalesce(groups.product_group, '–') end as group_label,
        change.previous,
        change.current,
        change.change
    from change
    left join groups using (product)
),

final as (
    select
        min(group_label) as "group",
        sum(previous) as previous,
        sum(current) as current,
        sum(change) as change
    from keyed
    group by group_key
)

select * from final
