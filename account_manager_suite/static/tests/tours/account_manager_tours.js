import { registry } from "@web/core/registry";

// An account manager opens My Accounts, the account's form and its Account Management tab,
// and logs a check-in note in the chatter.
registry.category("web_tour.tours").add("account_manager_suite_my_accounts", {
    steps: () => [
        {
            content: "The portfolio shows the account with its revenue this year",
            trigger: ".o_kanban_record:contains('Tour Kunde AG'):contains('1,500.00')",
            run: "click",
        },
        {
            content: "Open the Account Management tab",
            trigger: ".o_notebook .nav-link:contains('Account Management')",
            run: "click",
        },
        {
            content: "The figures come from the books",
            trigger: ".o_field_widget[name='receivable_amount']:contains('1,500.00')",
        },
        {
            content: "Log a note about the check-in",
            trigger: ".o-mail-Chatter-logNote",
            run: "click",
        },
        {
            trigger: ".o-mail-Composer-input",
            run: "edit Quarterly check-in call: all good",
        },
        {
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The note is in the chatter",
            trigger: ".o-mail-Message:contains('Quarterly check-in call: all good')",
        },
    ],
});

// A sales director sets a year's quotas from a yearly plan and closes a quarter.
registry.category("web_tour.tours").add("account_manager_suite_quota_plan", {
    steps: () => [
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='name'] input",
            run: "edit Tour quotas",
        },
        {
            content: "Add an account manager with an annual target",
            trigger: ".o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='user_id'] input",
            run: "edit Anna",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Anna Becker')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='annual_target'] input",
            run: "edit 40000",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Split the year into quarters",
            trigger: "button[name='action_generate_quotas']",
            run: "click",
        },
        {
            trigger:
                ".o_data_row:contains('Q1'):contains('Anna Becker'):contains('10,000.00') td[name='name']",
            run: "click",
        },
        {
            content: "Close the first quarter",
            trigger: "button[name='action_close']",
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The period is closed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Closed')",
        },
    ],
});
