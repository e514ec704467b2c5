// The container console's live panel: logs and resource charts streamed as Server-Sent Events
// from the admin API (read with fetch, so errors keep their status and detail), charts drawn on
// small canvases. Streams stop when the page is left.
(() => {
    const root = document.getElementById("cc-live");
    if (!root) {
        return;
    }
    const replicaSelect = document.getElementById("cc-replica");
    const follow = document.getElementById("cc-follow");
    const logBox = root.querySelector("[data-testid=workload-logs]");
    const maxLines = 2000;
    const maxSamples = 60;
    let logsAbort = null;
    let statsAbort = null;

    const status = (which, text) => { root.querySelector(`[data-stream-status=${which}]`).textContent = text; };

    // Reads a text/event-stream response and calls onEvent(type, data) per event.
    async function stream(url, signal, onEvent) {
        const response = await fetch(url, { signal, headers: { Accept: "text/event-stream" }, credentials: "same-origin" });
        if (!response.ok || !response.body) {
            let detail = response.statusText;
            try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
            throw new Error(detail);
        }
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        let type = "message";
        let data = [];
        for (;;) {
            const { value, done } = await reader.read();
            if (done) {
                return;
            }
            buffer += value;
            let newline;
            while ((newline = buffer.indexOf("\n")) >= 0) {
                const line = buffer.slice(0, newline).replace(/\r$/, "");
                buffer = buffer.slice(newline + 1);
                if (line === "") {
                    if (data.length) {
                        onEvent(type, data.join("\n"));
                    }
                    type = "message";
                    data = [];
                } else if (line.startsWith("event:")) {
                    type = line.slice(6).trim();
                } else if (line.startsWith("data:")) {
                    data.push(line.slice(5).replace(/^ /, ""));
                }
            }
        }
    }

    function appendLog(className, text, time) {
        const atBottom = logBox.scrollTop + logBox.clientHeight >= logBox.scrollHeight - 8;
        const line = document.createElement("div");
        if (className) {
            line.className = className;
        }
        if (time) {
            const stamp = document.createElement("span");
            stamp.className = "cc-log-time";
            stamp.textContent = new Date(time).toLocaleTimeString() + " ";
            line.append(stamp);
        }
        line.append(document.createTextNode(text));
        logBox.append(line);
        while (logBox.childElementCount > maxLines) {
            logBox.firstElementChild.remove();
        }
        if (atBottom) {
            logBox.scrollTop = logBox.scrollHeight;
        }
    }

    function run(which, url, onData) {
        const abort = new AbortController();
        status(which, root.dataset.textConnecting);
        stream(url, abort.signal, (type, data) => {
            if (type === "message") {
                status(which, root.dataset.textLive);
                onData(JSON.parse(data));
            } else if (type === "error") {
                status(which, `${root.dataset.textError}: ${JSON.parse(data).message}`);
            } else if (type === "end") {
                status(which, root.dataset.textEnded);
            }
        }).catch(error => {
            if (!abort.signal.aborted) {
                status(which, `${root.dataset.textError}: ${error.message}`);
            }
        });
        return abort;
    }

    function startLogs() {
        logsAbort?.abort();
        logBox.replaceChildren();
        const replica = replicaSelect.value;
        const url = `${root.dataset.logsUrl}?replica=${replica}&tail=200&follow=${follow.checked}`;
        logsAbort = run("logs", url, line => appendLog(line.stream === "stderr" ? "cc-stderr" : "", line.text, line.time));
    }

    // --- charts ---------------------------------------------------------------------------
    const series = { cpu: [], memory: [], rx: [], tx: [] };
    let last = null;
    let memoryLimit = 0;

    const bytes = value => {
        const units = ["B", "KiB", "MiB", "GiB"];
        let unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return `${value.toFixed(value < 10 && unit > 0 ? 1 : 0)} ${units[unit]}`;
    };

    // One line per series, scaled to the largest value shown (or a floor, so idle looks idle).
    function draw(name, lines, floor) {
        const canvas = root.querySelector(`canvas[data-chart=${name}]`);
        const ratio = window.devicePixelRatio || 1;
        const width = canvas.clientWidth;
        const height = canvas.clientHeight || 110;
        if (canvas.width !== Math.round(width * ratio)) {
            canvas.width = Math.round(width * ratio);
            canvas.height = Math.round(height * ratio);
        }
        const g = canvas.getContext("2d");
        g.setTransform(ratio, 0, 0, ratio, 0, 0);
        g.clearRect(0, 0, width, height);
        g.strokeStyle = "#e5e7eb";
        g.lineWidth = 1;
        for (const y of [0.25, 0.5, 0.75]) {
            g.beginPath();
            g.moveTo(0, Math.round(height * y) + 0.5);
            g.lineTo(width, Math.round(height * y) + 0.5);
            g.stroke();
        }
        const top = Math.max(floor, ...lines.flatMap(l => l.values)) * 1.1;
        for (const { values, color } of lines) {
            if (values.length < 2) {
                continue;
            }
            const step = width / (maxSamples - 1);
            const x0 = width - (values.length - 1) * step;
            g.beginPath();
            values.forEach((v, i) => {
                const x = x0 + i * step;
                const y = height - 2 - (v / top) * (height - 4);
                if (i === 0) { g.moveTo(x, y); } else { g.lineTo(x, y); }
            });
            g.strokeStyle = color;
            g.lineWidth = 1.5;
            g.stroke();
            g.lineTo(width, height);
            g.lineTo(x0, height);
            g.closePath();
            g.fillStyle = color + "22";
            g.fill();
        }
    }

    const push = (list, value) => { list.push(value); if (list.length > maxSamples) { list.shift(); } };
    const value = (name, text) => { root.querySelector(`[data-chart-value=${name}]`).textContent = text; };

    function sample(s) {
        push(series.cpu, s.cpuPercent);
        push(series.memory, s.memoryBytes);
        memoryLimit = s.memoryLimitBytes;
        if (last) {
            const seconds = Math.max(0.001, (new Date(s.time) - new Date(last.time)) / 1000);
            push(series.rx, Math.max(0, (s.networkRxBytes - last.networkRxBytes) / seconds));
            push(series.tx, Math.max(0, (s.networkTxBytes - last.networkTxBytes) / seconds));
        }
        last = s;
        value("cpu", `${s.cpuPercent.toFixed(1)} %`);
        value("memory", memoryLimit > 0 ? `${bytes(s.memoryBytes)} / ${bytes(memoryLimit)}` : bytes(s.memoryBytes));
        value("network", `↓ ${bytes(series.rx.at(-1) ?? 0)}/s ↑ ${bytes(series.tx.at(-1) ?? 0)}/s`);
        render();
    }

    function render() {
        draw("cpu", [{ values: series.cpu, color: "#2f6fed" }], 5);
        draw("memory", [{ values: series.memory, color: "#16a34a" }], 1024 * 1024);
        draw("network", [{ values: series.rx, color: "#2f6fed" }, { values: series.tx, color: "#d97706" }], 1024);
    }

    function startStats() {
        statsAbort?.abort();
        for (const list of Object.values(series)) {
            list.length = 0;
        }
        last = null;
        render();
        statsAbort = run("stats", `${root.dataset.statsUrl}?replica=${replicaSelect.value}`, sample);
    }

    window.addEventListener("resize", render);
    window.addEventListener("pagehide", () => { logsAbort?.abort(); statsAbort?.abort(); });
    follow.addEventListener("change", () => {
        if (follow.checked) {
            startLogs();
        } else {
            logsAbort?.abort();
            status("logs", root.dataset.textEnded);
        }
    });
    replicaSelect.addEventListener("change", () => { startLogs(); startStats(); });
    if (replicaSelect.value !== "") {
        startLogs();
        startStats();
    } else {
        render();
    }
})();
