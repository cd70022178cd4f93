from . import crm_customer_reveal
from . import crm_customer_erase
from . import crm_customer_import
