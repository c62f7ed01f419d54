-- materialized: table
-- Scenario overlay of stg_products: a routing change moves an article to another line at a rate
-- (the last change of an article in file order counts).
with routing as (
    select product, line, rate
    from scenario_changes
    where kind = 'routing'
    qualify row_number() over (partition by product order by change_no desc) = 1
),

final as (
    select
        products.* replace (
            coalesce(routing.line, products.line) as line,
            coalesce(routing.rate, products.rate) as rate,
            coalesce(routing.product is not null, false) or products.routed as routed)
    from stg_products as products
    left join routing on routing.product = products.product
)

select * from final
