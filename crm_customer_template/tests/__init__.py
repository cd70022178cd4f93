from . import test_code
from . import test_constraints
from . import test_required
from . import test_activity
from . import test_views
from . import test_access
from . import test_tracking
from . import test_ui
