from . import crm_customer_report_common
from . import report_customer_profile
from . import report_kpi_summary
from . import report_followup_log
from . import report_satisfaction
from . import crm_customer_xlsx
