// The container console's live panel: logs and resource charts streamed as Server-Sent Events
// from the admin API (read with fetch, so errors keep their status and detail), charts drawn by
// charts.js. Streams stop when the page is left.
import { formatValue, timeSeries } from "./charts.js";

const root = document.getElementById("cc-live");
if (root) {
    live(root);
}

function live(root) {
    const replicaSelect = document.getElementById("cc-replica");
    const follow = document.getElementById("cc-follow");
    const logBox = root.querySelector("[data-testid=workload-logs]");
    const maxLines = 2000;
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

    // --- charts (charts.js) ---------------------------------------------------------------
    // The last minute of samples; network as a rate from the cumulative counters.
    const span = 60;
    const chart = name => timeSeries(root.querySelector(`[data-chart=${name}]`), name === "network" ? ["rx", "tx"] : [name], { span, height: 130 });
    const update = { cpu: chart("cpu"), memory: chart("memory"), network: chart("network") };
    const series = { time: [], cpu: [], memory: [], rx: [], tx: [] };
    let last = null;

    function push(s, rx, tx) {
        const time = Date.parse(s.time);
        series.time.push(time);
        series.cpu.push(s.cpuPercent);
        series.memory.push(s.memoryBytes);
        series.rx.push(rx);
        series.tx.push(tx);
        while (series.time.length > 0 && series.time[0] < time - span * 1000) {
            Object.values(series).forEach(list => list.shift());
        }
    }

    const value = (name, text) => { root.querySelector(`[data-chart-value=${name}]`).textContent = text; };

    function sample(s) {
        let rx = null;
        let tx = null;
        if (last) {
            const seconds = Math.max(0.001, (Date.parse(s.time) - Date.parse(last.time)) / 1000);
            rx = Math.max(0, (s.networkRxBytes - last.networkRxBytes) / seconds);
            tx = Math.max(0, (s.networkTxBytes - last.networkTxBytes) / seconds);
        }
        last = s;
        push(s, rx, tx);
        value("cpu", formatValue(s.cpuPercent, "%"));
        value("memory", s.memoryLimitBytes > 0 ? `${formatValue(s.memoryBytes, "B")} / ${formatValue(s.memoryLimitBytes, "B")}` : formatValue(s.memoryBytes, "B"));
        value("network", `↓ ${formatValue(rx ?? 0, "B/s")} ↑ ${formatValue(tx ?? 0, "B/s")}`);
        render();
    }

    function render() {
        update.cpu(series.time, series.cpu);
        update.memory(series.time, series.memory);
        update.network(series.time, series.rx, series.tx);
    }

    function startStats() {
        statsAbort?.abort();
        Object.values(series).forEach(list => { list.length = 0; });
        last = null;
        render();
        statsAbort = run("stats", `${root.dataset.statsUrl}?replica=${replicaSelect.value}`, sample);
    }

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
}
