from . import crm_customer_report_wizard
from . import crm_customer_merge
