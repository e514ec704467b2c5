// Small progressive enhancements; every form still works without JavaScript.

// Forms with data-confirm ask first in a modal dialog. The server checks again: this only prevents slips.
(() => {
    const dialog = document.getElementById("cc-confirm");
    if (!dialog || !window.bootstrap) {
        return;
    }
    const modal = new bootstrap.Modal(dialog);
    const message = dialog.querySelector("[data-confirm-message]");
    const ok = dialog.querySelector("[data-confirm-ok]");
    let pending = null;
    document.addEventListener("submit", event => {
        const form = event.target;
        if (!(form instanceof HTMLFormElement) || !form.dataset.confirm || form.dataset.confirmed === "yes") {
            return;
        }
        if (!form.checkValidity()) {
            return;
        }
        event.preventDefault();
        pending = { form, submitter: event.submitter };
        message.textContent = form.dataset.confirm;
        ok.textContent = form.dataset.confirmButton || ok.dataset.defaultText;
        modal.show();
    });
    ok.addEventListener("click", () => {
        if (!pending) {
            return;
        }
        const { form, submitter } = pending;
        pending = null;
        form.dataset.confirmed = "yes";
        modal.hide();
        form.requestSubmit(submitter || undefined);
    });
    dialog.addEventListener("hidden.bs.modal", () => { pending = null; });
})();

// Copy buttons: data-copy="#element-id" copies that element's text.
document.addEventListener("click", async event => {
    const button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    if (!button) {
        return;
    }
    const source = document.querySelector(button.dataset.copy);
    const text = source ? (source.value ?? source.textContent).trim() : "";
    try {
        await navigator.clipboard.writeText(text);
    } catch {
        // Clipboard access needs a secure context; fall back to selecting the text for Ctrl+C.
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
    }
    const label = button.textContent;
    button.textContent = button.dataset.copied || label;
    setTimeout(() => { button.textContent = label; }, 1500);
});

// Times are rendered in UTC on the server; show them in the reader's own time zone.
for (const element of document.querySelectorAll("time[data-local]")) {
    const value = new Date(element.getAttribute("datetime"));
    if (!Number.isNaN(value.getTime())) {
        element.title = element.textContent;
        const dateOnly = element.dataset.local === "date";
        element.textContent = value.toLocaleString(document.documentElement.lang || undefined, dateOnly
            ? { year: "numeric", month: "2-digit", day: "2-digit" }
            : { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
    }
}
