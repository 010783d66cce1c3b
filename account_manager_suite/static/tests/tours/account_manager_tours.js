import { registry } from "@web/core/registry";

// A step waits up to 30 s for its trigger (Odoo's default is 10 s): on a small machine
// running the suite in parallel, an onchange's round trip can take longer than that.
const patient = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

// An account manager opens My Accounts, the account's form and its Account Management tab,
// logs a check-in note in the chatter and records how satisfied the customer is.
registry.category("web_tour.tours").add("account_manager_suite_my_accounts", {
    steps: () =>
        patient([
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
            {
                content: "Record how satisfied the customer is",
                trigger: "button[name='action_record_assessment']",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name='satisfaction'] input[data-value='4']",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name='relationship'] input[data-value='good']",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name='note'] textarea",
                run: "edit Wants a faster delivery slot",
            },
            {
                trigger: ".modal .o_form_button_save",
                run: "click",
            },
            {
                content: "The assessment is in the chatter, and on the account",
                trigger:
                    ".o-mail-Message:contains('satisfaction 4/5 (Satisfied), relationship Good')",
            },
            {
                trigger: ".o_field_widget[name='satisfaction']:contains('Satisfied')",
            },
        ]),
});

// A sales director sets a year's quotas from a yearly plan and closes a quarter.
registry.category("web_tour.tours").add("account_manager_suite_quota_plan", {
    steps: () =>
        patient([
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
        ]),
});

// An account manager flags an account at risk with a remediation plan.
registry.category("web_tour.tours").add("account_manager_suite_at_risk", {
    steps: () =>
        patient([
            {
                trigger: ".o_kanban_record:contains('Tour Risiko GmbH')",
                run: "click",
            },
            {
                trigger: ".o_notebook .nav-link:contains('Account Management')",
                run: "click",
            },
            {
                content: "Flag the account at risk",
                trigger: ".o_field_widget[name='at_risk'] input",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name='at_risk_reason'] select",
                run: 'select "competitor"',
            },
            {
                content: "Write the remediation plan",
                trigger: ".o_field_widget[name='remediation_plan'] textarea",
                run: "edit Weekly calls with the plant manager until the renewal",
            },
            {
                trigger: ".o_form_button_save",
                run: "click",
            },
            {
                content: "Saved",
                trigger: ".o_form_saved",
            },
        ]),
});

// An account manager creates and confirms a quotation that carries their name.
registry.category("web_tour.tours").add("account_manager_suite_quotation", {
    steps: () =>
        patient([
            {
                trigger: ".o_list_button_add",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name='partner_id'] input",
                run: "edit Tour Risiko",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:contains('Tour Risiko GmbH')",
                run: "click",
            },
            {
                trigger: "div[name='order_line'] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                trigger: ".o_selected_row .o_field_widget[name='product_template_id'] input",
                run: "edit Tour Widget",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:contains('Tour Widget')",
                run: "click",
            },
            {
                trigger:
                    "div[name='order_line'] .o_data_row:contains('Tour Widget'):contains('250.00')",
            },
            {
                trigger: ".o_form_button_save",
                run: "click",
            },
            {
                trigger: ".o_form_saved",
            },
            {
                trigger: ".o_notebook .nav-link:contains('Other Info')",
                run: "click",
            },
            {
                content: "The quotation carries the account manager's name",
                trigger: ".o_field_widget[name='account_manager_id']:contains('Anna Becker')",
            },
            {
                trigger: "button[name='action_confirm']",
                run: "click",
            },
            {
                content: "The quotation is a sales order now",
                trigger: ".o_statusbar_status .o_arrow_button_current:contains('Sales Order')",
            },
        ]),
});

// A sales director re-assigns two accounts with the wizard, then opens the quarterly results.
registry.category("web_tour.tours").add("account_manager_suite_reassign", {
    steps: () =>
        patient([
            {
                trigger: ".o_main_navbar .dropdown-toggle:contains('Accounts')",
                run: "click",
            },
            {
                trigger: ".dropdown-item:contains('Re-assign Accounts')",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name='to_user_id'] input",
                run: "edit Budi",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:contains('Budi Santoso')",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name='partner_ids'] input",
                run: "edit Tour Alpha",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:contains('Tour Alpha AG')",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name='partner_ids'] input",
                run: "edit Tour Beta",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:contains('Tour Beta KG')",
                run: "click",
            },
            {
                content: "The preview lists both accounts",
                trigger:
                    ".modal .o_field_widget[name='preview_partner_ids'] .o_data_row:contains('Tour Beta KG')",
            },
            {
                trigger:
                    ".modal .o_field_widget[name='preview_partner_ids'] .o_data_row:contains('Tour Alpha AG')",
            },
            {
                trigger: ".modal-footer button[name='action_apply']",
                run: "click",
            },
            {
                content: "The wizard is closed",
                trigger: "body:not(:has(.modal))",
            },
            {
                trigger: ".o_main_navbar .dropdown-toggle:contains('Reports')",
                run: "click",
            },
            {
                trigger: ".dropdown-item:contains('Quarterly Sales Results')",
                run: "click",
            },
            {
                content: "The quarterly results open for this quarter",
                trigger: ".modal .o_field_widget[name='year'] input",
            },
            {
                trigger: ".modal-footer button[name='action_print_pdf']",
                run: "click",
            },
            {
                content: "The report is produced and the dialog closes",
                trigger: "body:not(:has(.modal))",
            },
        ]),
});

// A commission accountant proposes the settlements of the closed quarter: the wizard
// lists each manager's commission, confirming creates the settlements to approve.
registry.category("web_tour.tours").add("account_manager_suite_settlement_propose", {
    steps: () =>
        patient([
            {
                trigger: ".o_main_navbar .dropdown-toggle:contains('Commissions')",
                run: "click",
            },
            {
                trigger: ".dropdown-item:contains('Propose Settlements')",
                run: "click",
            },
            {
                content: "The closed quarter waits, with Anna's commission",
                trigger: ".modal .o_data_row:contains('Anna Becker'):contains('400.00')",
            },
            {
                trigger: ".modal button[name='action_confirm']",
                run: "click",
            },
            {
                content: "The settlement waits for a director's approval",
                trigger: ".o_list_view .o_data_row:contains('Anna Becker'):contains('To Approve')",
            },
        ]),
});

// Once a director approved it, the accountant creates the vendor bill, checks it and
// posts it: the accrual is released with the posting.
registry.category("web_tour.tours").add("account_manager_suite_settlement_bill", {
    steps: () =>
        patient([
            {
                trigger: ".o_data_row:contains('Anna Becker') td[name='user_id']",
                run: "click",
            },
            {
                trigger: "button[name='action_create_bill']",
                run: "click",
            },
            {
                content: "The vendor bill opens in draft, to Anna, for her commission",
                trigger: ".o_statusbar_status .o_arrow_button_current:contains('Draft')",
            },
            {
                trigger: ".o_field_widget[name='partner_id'] input:value('Anna Becker')",
            },
            {
                trigger:
                    ".o_field_widget[name='amount_total']:contains('400.00'), .oe_subtotal_footer:contains('400.00')",
            },
            {
                content: "Post it",
                trigger: ".o_statusbar_buttons button[name='action_post']",
                run: "click",
            },
            {
                trigger: ".o_statusbar_status .o_arrow_button_current:contains('Posted')",
            },
        ]),
});

// An account manager disputes a line of their commissions, saying why: the line is held.
registry.category("web_tour.tours").add("account_manager_suite_dispute", {
    steps: () =>
        patient([
            {
                trigger: ".o_data_row:contains('Tour Dispute AG') button:contains('Dispute')",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name='note'] textarea",
                run: "edit The price was corrected",
            },
            {
                trigger: ".modal button[name='action_confirm']",
                run: "click",
            },
            {
                content: "The line is held: no Dispute button any more",
                trigger:
                    "body:not(:has(.modal)) .o_data_row:contains('Tour Dispute AG'):not(:has(button:contains('Dispute')))",
            },
        ]),
});

// Issue 14: a customer whose name is markup is shown as text on every screen the test
// opens (My Quarter, My Accounts, the account's form, the commission lines): no injected
// element in the DOM, the page title untouched.
registry.category("web_tour.tours").add("account_manager_suite_no_injection", {
    steps: () =>
        patient([
            {
                content: "The view is loaded with the customer's name in it, as text",
                trigger: ".o_action_manager .o_content:contains('Hansa AG<script>')",
            },
            {
                content: "No injected element exists, the title is unchanged",
                trigger: ".o_action_manager .o_content",
                run() {
                    const injected = document.querySelector(
                        "img[src='x'], svg[onload], script:not([src])[data-ams]",
                    );
                    const scripts = [...document.querySelectorAll("script")].filter((s) =>
                        s.textContent.includes("ams-xss"),
                    );
                    if (injected || scripts.length || document.title === "XSS") {
                        throw new Error("Injected markup made it into the DOM");
                    }
                },
            },
        ]),
});

// On the road: an account manager on a phone-sized screen (390 x 844) opens My Accounts,
// an account, logs the check-in in the chatter and records the customer's assessment.
registry.category("web_tour.tours").add("account_manager_suite_phone", {
    steps: () =>
        patient([
            {
                content: "My Accounts shows the portfolio as cards on the phone",
                trigger: ".o_kanban_renderer .o_kanban_record:contains('Tour Handy GmbH')",
                run: "click",
            },
            {
                content: "The account form in the phone layout",
                trigger: ".o_form_view.o_xxs_form_view .o_field_widget[name='name']",
            },
            {
                trigger: ".o_notebook .nav-link:contains('Account Management')",
                run: "click",
            },
            {
                content: "The figures from the books",
                trigger: ".o_field_widget[name='receivable_amount']:contains('800.00')",
            },
            {
                content: "Log the visit as a check-in",
                trigger: ".o-mail-Chatter-logNote",
                run: "click",
            },
            {
                trigger: ".o-mail-Composer-input",
                run: "edit Visited the plant: the new line runs well",
            },
            {
                trigger: ".o-mail-Composer-send:enabled",
                run: "click",
            },
            {
                trigger: ".o-mail-Message:contains('Visited the plant: the new line runs well')",
            },
            {
                content: "Record the assessment",
                trigger: "button[name='action_record_assessment']",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name='satisfaction'] input[data-value='5']",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name='relationship'] input[data-value='strong']",
                run: "click",
            },
            {
                trigger: ".modal .o_form_button_save",
                run: "click",
            },
            {
                content: "The assessment is on the account",
                trigger: ".o-mail-Message:contains('satisfaction 5/5')",
            },
        ]),
});
