import { registry } from "@web/core/registry";

// A step waits up to 30 s for its trigger (Odoo's default is 10 s): on a small machine
// running the suite in parallel, an onchange's round trip can take longer than that.
const patient = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

// Going live: a sales director imports the ownership history from a spreadsheet with
// Odoo's import screen, which offers the module's template.
const HISTORY = [
    "Account,Account Manager,From,To,Reason",
    "Tour Import AG,Anna Becker,2019-01-01,2023-12-31,Initial Assignment",
    "Tour Import AG,Budi Santoso,2024-01-01,,Re-assignment",
].join("\n");

registry.category("web_tour.tours").add("account_manager_suite_ownership_import", {
    steps: () =>
        patient([
            {
                content: "Open the actions of the Ownership History",
                trigger: ".o_control_panel .o_cp_action_menus button",
                run: "click",
            },
            {
                trigger: ".o_import_menu",
                run: "click",
            },
            {
                content: "The import screen offers the template",
                trigger: ".o_import_action a:contains('Import Template for Ownership History')",
            },
            {
                content: "Upload the spreadsheet",
                trigger: ".o_import_file",
                run() {
                    const input = document.querySelector("input.o_input_file[type='file']");
                    const transfer = new DataTransfer();
                    transfer.items.add(new File([HISTORY], "history.csv", { type: "text/csv" }));
                    input.files = transfer.files;
                    input.dispatchEvent(new Event("change", { bubbles: true }));
                },
            },
            {
                content: "The columns are recognised",
                trigger: ".o_import_data_content:contains('Account Manager')",
            },
            {
                trigger: ".o_control_panel button.btn-primary:contains('Import')",
                run: "click",
            },
            {
                content: "The history is written",
                trigger:
                    ".o_list_view .o_data_row:contains('Tour Import AG'):contains('Budi Santoso')",
            },
        ]),
});
