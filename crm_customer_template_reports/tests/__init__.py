from . import test_kpi
from . import test_xlsx
from . import test_xlsx_rows
from . import test_reports_http
from . import test_views
from . import test_kpi_rollup
