from . import account_manager_reassign_wizard
