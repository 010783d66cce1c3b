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
