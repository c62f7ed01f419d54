-- materialized: view
-- Incremental scenario: the scenario's line load in the touched periods.
select load.*
from scn_mart_load as load
semi join scn_touched_periods as touched on touched.period_start = load.period_start
