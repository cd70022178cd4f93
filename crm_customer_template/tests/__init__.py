from . import test_backup
