// Course and group pages: small progressive enhancements; every form works without JavaScript.

// Forms with data-confirm ask first. The shared confirm dialog (site.js, #cc-confirm) does this
// where the layout has it; otherwise the browser's own confirm() does. The server checks again.
(() => {
    if (document.getElementById("cc-confirm")) {
        return;
    }
    document.addEventListener("submit", event => {
        const form = event.target;
        if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
            event.preventDefault();
        }
    });
})();

// Reply buttons open the reply form under their comment.
document.addEventListener("click", event => {
    const button = event.target instanceof Element ? event.target.closest("[data-reply-to]") : null;
    if (!button) {
        return;
    }
    const form = document.getElementById("reply-" + button.getAttribute("data-reply-to"));
    if (form) {
        form.hidden = !form.hidden;
        form.querySelector("textarea")?.focus();
    }
});
