# pylint: disable=manifest-superfluous-key
# (installable is spelled out on purpose: the project requires it in every manifest)
{
    "name": "Account Manager Suite",
    "summary": "Account-manager ownership of customer portfolios, quotas, "
    "commissions through the books, and management reports",
    "version": "18.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "Account Manager Suite developers",
    "website": "https://github.com/account-manager-suite/account_manager_suite",
    "depends": ["sale_management", "account", "report_xlsx"],
    "data": [
        "security/account_manager_suite_security.xml",
        "security/ir.model.access.csv",
        "data/account_manager_tier_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "report/account_plan_report.xml",
        "views/account_manager_tier_views.xml",
        "views/account_manager_ownership_views.xml",
        "views/account_manager_assignment_rule_views.xml",
        "views/account_plan_views.xml",
        "views/account_manager_quota_views.xml",
        "views/account_manager_quota_plan_views.xml",
        "views/account_manager_performance_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/account_manager_reassign_wizard_views.xml",
        "wizards/account_manager_forecast_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/account_manager_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "account_manager_suite/static/tests/tours/*.js",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": True,
}
