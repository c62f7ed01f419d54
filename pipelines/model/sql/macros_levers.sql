-- Macros over the marts, for the lever queries: created after the models they read.

-- Pre-build (spec "Levers"): a line's free hours in the periods before `before_start`, back to
-- `reach_start` (shelf life), used latest period first until `need` hours are covered.
-- Shared by the conflict lever and the line lever so the rule lives in one place.
create or replace temp macro prebuild_use(line_name, before_start, reach_start, need) as table
    with earlier as (
        select period, period_start, free_hours
        from mart_load
        where line = line_name
            and period_start < before_start
            and period_start >= reach_start
            and free_hours > 0
    )
    select
        earlier.*,
        least(free_hours, greatest(need - coalesce(sum(free_hours) over (
            order by period_start desc
            rows between unbounded preceding and 1 preceding), 0), 0)) as used_hours
    from earlier;

-- The pre-build figure in one row: free hours in reach, hours used, and which periods give them.
create or replace temp macro prebuild_summary(line_name, before_start, reach_start, need) as table
    select
        sum(free_hours) as free_hours,
        sum(used_hours) as used_hours,
        string_agg(printf('%s: %.2f h', period, used_hours), '; ' order by period_start desc)
            filter (where used_hours > 0) as detail
    from prebuild_use(line_name, before_start, reach_start, need);
