// The create form's times are the browser's local time: send its offset so the server stores UTC.
for (const field of document.querySelectorAll("input[data-tz-offset]")) {
    field.value = String(new Date().getTimezoneOffset());
}
