from . import crm_customer_win
from . import crm_customer_lose
from . import crm_customer_assign
from . import crm_customer_merge
