from . import crm_customer_win
from . import crm_customer_lose
from . import crm_customer_assign
from . import crm_customer_merge
from . import crm_customer_reveal
from . import crm_customer_erase
from . import crm_customer_import
