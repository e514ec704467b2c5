// The host panel's history charts, one per card, from /api/v1/admin/host (charts.js draws them).
import { timeSeries } from "./charts.js";

const panel = document.getElementById("host-panel");
if (panel) {
    start(panel);
}

function start(panel) {
    // The API's times are UTC without a zone suffix (DateTime): read them as UTC.
    const at = text => Date.parse(text.endsWith("Z") ? text : text + "Z");
    const percent = (used, total) => total > 0 ? 100 * used / total : 0;
    const series = {
        cpu: data => [data.history.map(p => at(p.at)), data.history.map(p => p.cpu)],
        memory: data => [data.history.map(p => at(p.at)), data.history.map(p => percent(p.memoryUsed, p.memoryTotal))],
        disk: data => [data.history.map(p => at(p.at)), data.history.map(p => percent(p.diskUsed, p.diskTotal))],
        // An engine that did not answer has no count: a gap, not a drop to zero.
        containers: data => [data.history.map(p => at(p.at)), data.history.map(p => p.engineUp ? p.containers : null)],
        registry: data => [data.registry.map(p => at(p.at)), data.registry.map(p => p.up ? p.bytes : null)],
    };
    const charts = [...panel.querySelectorAll(".cc-chart[data-series]")]
        .filter(box => series[box.dataset.series])
        .map(box => ({ pick: series[box.dataset.series], update: timeSeries(box, [box.dataset.series], { height: 150 }) }));

    async function load(hours) {
        const response = await fetch(`${panel.dataset.api}?hours=${hours}`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) {
            return;
        }
        const data = await response.json();
        for (const chart of charts) {
            chart.update(...chart.pick(data));
        }
    }

    let hours = 24;
    for (const button of document.querySelectorAll("[data-host-hours]")) {
        button.addEventListener("click", () => {
            hours = Number(button.dataset.hostHours);
            document.querySelectorAll("[data-host-hours]").forEach(b => b.classList.toggle("active", b === button));
            load(hours);
        });
    }
    load(hours);
    setInterval(() => load(hours), 30000);
}
