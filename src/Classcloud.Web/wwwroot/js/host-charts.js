// The host panel's history charts: one small SVG line chart per card, from /api/v1/admin/host.
// No chart library: a polyline, a baseline and the latest value are all an administrator needs here.
(() => {
    const panel = document.getElementById("host-panel");
    if (!panel) {
        return;
    }
    const svgNs = "http://www.w3.org/2000/svg";
    const width = 300;
    const height = 80;

    const series = {
        cpu: data => data.history.map(p => [p.at, p.cpu]),
        memory: data => data.history.map(p => [p.at, p.memoryTotal > 0 ? 100 * p.memoryUsed / p.memoryTotal : 0]),
        disk: data => data.history.map(p => [p.at, p.diskTotal > 0 ? 100 * p.diskUsed / p.diskTotal : 0]),
        containers: data => data.history.filter(p => p.engineUp && p.containers !== null).map(p => [p.at, p.containers]),
        registry: data => data.registry.filter(p => p.up).map(p => [p.at, p.bytes]),
    };

    function format(value, unit) {
        if (unit === "B") {
            const units = ["B", "KiB", "MiB", "GiB", "TiB"];
            let i = 0;
            while (value >= 1024 && i < units.length - 1) {
                value /= 1024;
                i++;
            }
            return value.toFixed(i === 0 ? 0 : 1) + " " + units[i];
        }
        return (Math.round(value * 10) / 10) + (unit ? " " + unit : "");
    }

    function el(name, attributes) {
        const node = document.createElementNS(svgNs, name);
        for (const [key, value] of Object.entries(attributes)) {
            node.setAttribute(key, value);
        }
        return node;
    }

    function draw(box, points) {
        box.replaceChildren();
        if (points.length < 2) {
            const empty = document.createElement("div");
            empty.className = "small cc-muted mt-2";
            empty.textContent = panel.dataset.empty;
            box.append(empty);
            return;
        }
        const times = points.map(p => Date.parse(p[0].endsWith("Z") ? p[0] : p[0] + "Z"));
        const values = points.map(p => p[1]);
        const t0 = Math.min(...times);
        const t1 = Math.max(...times);
        const fixedMax = box.dataset.max ? Number(box.dataset.max) : null;
        const max = fixedMax ?? Math.max(1, ...values) * 1.1;
        const x = t => t1 > t0 ? (t - t0) / (t1 - t0) * width : 0;
        const y = v => height - Math.min(1, Math.max(0, v / max)) * (height - 4) - 2;
        const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none", role: "img", class: "w-100 mt-2", height: String(height) });
        const unit = box.dataset.unit;
        const title = el("title", {});
        title.textContent = `${format(Math.min(...values), unit)} – ${format(Math.max(...values), unit)}`;
        svg.append(title);
        svg.append(el("line", { x1: 0, x2: width, y1: height - 1, y2: height - 1, stroke: "#dee2e6" }));
        const line = points.map((_, i) => `${x(times[i]).toFixed(1)},${y(values[i]).toFixed(1)}`).join(" ");
        svg.append(el("polygon", { points: `0,${height} ${line} ${width},${height}`, fill: "rgba(47,111,237,.08)" }));
        svg.append(el("polyline", { points: line, fill: "none", stroke: "#2f6fed", "stroke-width": "1.5", "vector-effect": "non-scaling-stroke" }));
        box.append(svg);
        const legend = document.createElement("div");
        legend.className = "d-flex justify-content-between small cc-muted";
        const from = document.createElement("span");
        from.textContent = new Date(t0).toLocaleString();
        const peak = document.createElement("span");
        peak.textContent = "max " + format(Math.max(...values), unit);
        legend.append(from, peak);
        box.append(legend);
    }

    async function load(hours) {
        const response = await fetch(`${panel.dataset.api}?hours=${hours}`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) {
            return;
        }
        const data = await response.json();
        for (const box of panel.querySelectorAll(".cc-chart")) {
            const pick = series[box.dataset.series];
            if (pick) {
                draw(box, pick(data));
            }
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
})();
