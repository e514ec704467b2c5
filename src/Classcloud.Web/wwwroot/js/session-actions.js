// The session bar's workspace actions (docs/daily-use.md, "The session toolbar"): Stop and Save for the owner and
// administrators, Upload and Download for those in control. Everything goes through the workspace API; the server
// checks every call again. Labels are the data-label-* attributes of [data-session-actions] (localized by the page).
export function sessionActions(root, controls) {
    const box = root.querySelector("[data-session-actions]");
    if (!box) {
        return; // a watcher: nothing to act with
    }
    const api = box.dataset.api;
    const label = (name, value) => {
        const key = "label" + name.replace(/-(\w)/g, (_, c) => c.toUpperCase()).replace(/^\w/, c => c.toUpperCase());
        return (box.dataset[key] || name).replace("{0}", value ?? "");
    };
    const job = root.querySelector("[data-job]");
    const jobText = job.querySelector("[data-job-text]");
    const progress = job.querySelector("[data-job-progress]");
    const startAgain = job.querySelector("[data-start-again]");
    const forms = [...box.querySelectorAll("form")];
    const buttons = [...box.querySelectorAll("button")];
    let busy = false;
    // Stop, Upload and Download act on a running workspace; after a stop or a save only Save (and Start again) make sense.
    let running = true;
    const needsRunning = b => !b.closest("[data-session-save]");

    const show = (text, kind = "info", percent = null) => {
        job.hidden = false;
        job.className = "cc-session-job alert py-1 px-2 mb-0 small alert-" + kind;
        job.dataset.kind = kind;
        jobText.textContent = text;
        progress.hidden = percent === null;
        progress.value = percent ?? 0;
    };
    const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
    const detail = async response => {
        try {
            return (await response.json()).detail || response.statusText;
        } catch {
            return response.statusText || String(response.status);
        }
    };
    const workspace = async () => {
        const response = await fetch(api, { headers: { Accept: "application/json" } });
        if (!response.ok) {
            throw new Error(await detail(response));
        }
        return response.json();
    };
    // Polls the workspace (as its detail page follows a transition) until `done` says so; `step` sees every answer.
    const until = async (done, step = () => { }) => {
        for (;;) {
            const w = await workspace();
            step(w);
            if (done(w)) {
                return w;
            }
            await sleep(1000);
        }
    };
    const post = async path => {
        const response = await fetch(api + path, { method: "POST", headers: { Accept: "application/json" } });
        if (!response.ok) {
            throw new Error(await detail(response));
        }
    };
    const settled = w => !["stopping", "starting", "saving", "creating"].includes(w.state);

    async function stop() {
        show(label("stopping"));
        await post("/stop");
        controls.finish();
        const w = await until(settled);
        if (w.state !== "stopped") {
            throw new Error(w.reason || w.state);
        }
        running = false;
        show(label("stopped"), "secondary");
        startAgain.hidden = false;
    }

    // Save needs a stopped workspace (the lifecycle's table): stop, save, and say which snapshot it became.
    async function save() {
        if ((await workspace()).state !== "stopped") {
            await stop();
            startAgain.hidden = true;
        }
        show(label("saving"), "info");
        await post("/save");
        const w = await until(settled, x => {
            if (x.state === "saving" && x.progressBytes != null) {
                show(label("pushed", (x.progressBytes / 1e6).toFixed(1)), "info");
            }
        });
        if (w.state !== "stopped" || w.reason) {
            show(label("save-failed", w.reason || w.state), "danger");
        } else {
            const response = await fetch(api + "/snapshots", { headers: { Accept: "application/json" } });
            const snapshots = response.ok ? await response.json() : [];
            const number = Math.max(0, ...snapshots.map(s => s.number));
            show(label("saved", number), "success");
        }
        startAgain.hidden = false;
    }

    async function start() {
        startAgain.hidden = true;
        show(label("starting"));
        await post("/start");
        const w = await until(x => settled(x) && x.queuePosition == null);
        if (w.state !== "running") {
            throw new Error(w.reason || w.state);
        }
        running = true;
        job.hidden = true;
        controls.restart();
    }

    const run = async action => {
        if (busy) {
            return;
        }
        busy = true;
        buttons.forEach(b => { b.disabled = true; });
        try {
            await action();
        } catch (error) {
            show(label("failed", error.message), "danger");
        } finally {
            busy = false;
            buttons.forEach(b => { b.disabled = !running && needsRunning(b); });
        }
    };

    // Stop and Save are forms with data-confirm: site.js asks in the confirmation dialog first and submits again
    // once confirmed; that second submit is carried out here, through the API, instead of leaving the page.
    for (const form of forms) {
        form.addEventListener("submit", event => {
            if (form.dataset.confirmed !== "yes") {
                return;
            }
            event.preventDefault();
            event.stopPropagation();
            delete form.dataset.confirmed;
            run("sessionSave" in form.dataset ? save : stop);
        });
    }
    startAgain.addEventListener("click", () => run(start));

    // Upload: the file picker, then one multipart request with a progress bar (fetch cannot report upload progress).
    const picker = box.querySelector("[data-upload-input]");
    box.querySelector("[data-upload]").addEventListener("click", () => picker.click());
    picker.addEventListener("change", () => {
        const files = [...picker.files];
        picker.value = "";
        if (files.length) {
            run(() => upload(files));
        }
    });
    const upload = files => new Promise((resolve, reject) => {
        const form = new FormData();
        files.forEach(f => form.append("file", f, f.name));
        const request = new XMLHttpRequest();
        request.open("POST", api + "/files");
        request.setRequestHeader("Accept", "application/json");
        request.upload.onprogress = e => {
            if (e.lengthComputable) {
                const percent = Math.floor((e.loaded / e.total) * 100);
                show(label("uploading", percent), "info", percent);
            }
        };
        request.onload = () => {
            let body = null;
            try {
                body = JSON.parse(request.responseText);
            } catch {
                // not JSON: the status says enough
            }
            if (request.status >= 200 && request.status < 300) {
                show(label("uploaded", body.files.map(f => "~/" + f.path).join(", ")), "success");
                resolve();
            } else {
                reject(new Error(body?.detail || request.statusText));
            }
        };
        request.onerror = () => reject(new Error(label("lost")));
        show(label("uploading", 0), "info", 0);
        request.send(form);
    });

    // Download: asks for a path, fetches it (so a refusal is shown here, not as a page replacing the session), then
    // hands the bytes to the browser as a file.
    const downloadForm = root.querySelector("[data-download]");
    const downloadToggle = box.querySelector("[data-download-toggle]");
    const pathInput = downloadForm.querySelector("[data-download-path]");
    downloadToggle.addEventListener("click", () => {
        downloadForm.hidden = !downloadForm.hidden;
        downloadToggle.setAttribute("aria-expanded", String(!downloadForm.hidden));
        if (!downloadForm.hidden) {
            pathInput.focus();
        }
    });
    downloadForm.addEventListener("submit", event => {
        event.preventDefault();
        run(() => download(pathInput.value.trim()));
    });
    async function download(path) {
        const name = (path.replace(/\/+$/, "").split("/").pop() || "home");
        show(label("downloading", name));
        const response = await fetch(api + "/files?path=" + encodeURIComponent(path));
        if (!response.ok) {
            throw new Error(await detail(response));
        }
        const tar = (response.headers.get("Content-Type") || "").startsWith("application/x-tar");
        const blob = await response.blob();
        const url = URL.createObjectURL(blob);
        const link = document.createElement("a");
        link.href = url;
        link.download = tar ? name + ".tar" : name;
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        show(label("downloaded", link.download), "success");
    }
}
