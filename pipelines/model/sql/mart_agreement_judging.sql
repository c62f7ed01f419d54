-- materialized: table
-- Each agreement judged on the items that are not past: the shortfall before and now summed, the
-- line overload before and now summed (empty where no item has one), the verdict of the sums; an
-- agreement whose items are all past is 'past'. `unit`: the article's, where the agreement concerns
-- one article's PMCs only (the usual case: one conflict episode); else none (a line agreement's
-- quantities are of several articles, its overload hours say how large it is).
with items as (
    select * from int_agreement_items
),

summed as (
    select
        agreement_id,
        coalesce(sum(shortfall_before) filter (where not past), 0) as shortfall_before,
        coalesce(sum(shortfall_now) filter (where not past), 0) as shortfall_now,
        sum(overload_hours_before) filter (where not past) as overload_hours_before,
        sum(overload_hours_now) filter (where not past) as overload_hours_now,
        count(*) as items,
        count(*) filter (where past) as past_items,
        case when count(*) filter (where scope <> 'pmc') = 0 and count(distinct product) = 1
                  and count(distinct unit) = 1
             then min(unit) end as unit
    from items
    group by agreement_id
),

final as (
    select
        agreement_id, shortfall_before, shortfall_now, shortfall_now - shortfall_before as change,
        overload_hours_before, overload_hours_now, items, past_items, unit,
        case when items = past_items then 'past'
             else agreement_verdict(shortfall_before, shortfall_now) end as verdict
    from summed
)

select * from final
