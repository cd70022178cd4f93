from . import crm_customer_reveal
from . import crm_customer_erase
