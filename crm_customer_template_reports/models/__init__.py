from . import crm_customer
from . import crm_customer_followup
from . import crm_customer_need
from . import crm_customer_kpi
from . import crm_customer_kpi_index
from . import crm_customer_kpi_rollup
from . import res_config_settings
