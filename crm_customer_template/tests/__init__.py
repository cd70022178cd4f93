from . import test_access_matrix
from . import test_masking
from . import test_reveal_log
from . import test_change_request
from . import test_encryption
