-- materialized: view
-- Incremental scenario: the scenario's gaps in the touched periods (mart_kpi_periods.sql reads them).
select gaps.*
from scn_mart_gaps as gaps
semi join scn_touched_periods as touched on touched.period_start = gaps.period_start
