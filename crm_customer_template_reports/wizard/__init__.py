from . import crm_customer_report_wizard
