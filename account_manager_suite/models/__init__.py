from . import account_manager_tier
