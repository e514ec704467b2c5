// Our one wrapper around uPlot (npm "uplot", copied to wwwroot/lib/uplot): small time-series charts
// for the host panel, the container console and the pages that come next (projects, grading).
// A page marks a box up and gives the series keys; everything worded comes from the box's data
// attributes, rendered by the server through the localizer:
//   data-unit="%|B|B/s|"      how values are written (B: binary units, as the server writes them)
//   data-max="100"            a fixed top (percentages); otherwise the top follows the data
//   data-floor="5"            the smallest top, so an idle line looks idle rather than noisy
//   data-label-<key>="CPU"    the caption of each series (in the legend, shown when there are several)
//   data-empty="No data yet." shown instead of the chart while it has fewer than two points
// After each update the box carries data-points (the points drawn), which tests and pages can read.
import uPlot from "../lib/uplot/uPlot.esm.js";

// Readable on the white cards of the light theme (contrast ≥ 3:1 against #fff for every line).
const palette = ["#2563eb", "#15803d", "#b45309", "#7c3aed", "#be123c"];
const grid = "#e5e7eb";
const axisText = "#6b7280";
const locale = document.documentElement.lang || undefined;

/** Writes a value in a unit: bytes in binary units (like the server's pages), others with one decimal. */
export function formatValue(value, unit) {
    if (value === null || value === undefined || Number.isNaN(value)) {
        return "—";
    }
    if (unit === "B" || unit === "B/s") {
        const units = ["B", "KiB", "MiB", "GiB", "TiB"];
        let i = 0;
        while (Math.abs(value) >= 1024 && i < units.length - 1) {
            value /= 1024;
            i++;
        }
        const suffix = unit === "B/s" ? "/s" : "";
        return `${value.toFixed(i === 0 || value >= 10 ? 0 : 1)} ${units[i]}${suffix}`;
    }
    const rounded = Math.round(value * 10) / 10;
    return rounded.toLocaleString(locale) + (unit ? (unit === "%" ? " %" : " " + unit) : "");
}

// Axis and legend times in the page's language; the date appears only once the span passes a day.
function timeFormatter(spanSeconds) {
    const options = spanSeconds > 86400
        ? { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" }
        : spanSeconds > 300
            ? { hour: "2-digit", minute: "2-digit" }
            : { hour: "2-digit", minute: "2-digit", second: "2-digit" };
    const format = new Intl.DateTimeFormat(locale, options);
    return seconds => format.format(new Date(seconds * 1000));
}

// Tick steps that read well in each unit: powers of two for bytes (512 KiB, 1 MiB), whole numbers for counts.
const byteSteps = [0, 1, 2, 3, 4, 5].flatMap(k => [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map(m => m * 1024 ** k));
const countSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

function steps(unit) {
    return unit === "B" || unit === "B/s" ? byteSteps : unit === "" ? countSteps : undefined;
}

function axis(values) {
    return { stroke: axisText, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: "11px system-ui, sans-serif", values };
}

/**
 * A time-series chart in `box` with one line per key of `keys`. Returns update(times, ...columns):
 * times as milliseconds since the epoch (or ISO strings), one column of numbers (null: a gap) per
 * key. `span`, in seconds, keeps the window to the last span seconds at most (a live chart);
 * without it the window is the data's.
 */
export function timeSeries(box, keys, { span = null, height = 110 } = {}) {
    const unit = box.dataset.unit ?? "";
    const fixedMax = box.dataset.max ? Number(box.dataset.max) : null;
    const floor = box.dataset.floor ? Number(box.dataset.floor) : 0;
    const empty = document.createElement("div");
    empty.className = "small cc-muted cc-chart-empty";
    empty.textContent = box.dataset.empty ?? "";
    const holder = document.createElement("div");
    box.replaceChildren(holder, empty);

    let formatTime = timeFormatter(span ?? 3600);
    const options = {
        width: Math.max(100, box.clientWidth),
        height,
        // A legend only tells lines apart; current values are the page's to show (next to the title).
        legend: { show: keys.length > 1, live: false },
        cursor: { drag: { x: false, y: false }, points: { size: 6 } },
        scales: {
            x: {
                time: true,
                range: (u, min, max) => max === null ? [0, 1] : span ? [Math.max(min, max - span), max] : [min, max],
            },
            y: {
                range: (u, min, max) => [0, fixedMax ?? Math.max(floor, (max ?? 0) * 1.1, 1e-9)],
            },
        },
        axes: [
            // Times are wider than numbers: more room between them than uPlot's default.
            { ...axis((u, splits) => splits.map(formatTime)), space: 90 },
            { ...axis((u, splits) => splits.map(v => formatValue(v, unit))), size: 64, incrs: steps(unit) },
        ],
        series: [
            {},
            ...keys.map((key, i) => ({
                label: box.dataset["label" + key[0].toUpperCase() + key.slice(1)] ?? key,
                stroke: palette[i % palette.length],
                fill: palette[i % palette.length] + "1f",
                width: 1.5,
                points: { show: false },
            })),
        ],
    };
    const plot = new uPlot(options, [[], ...keys.map(() => [])], holder);

    // The cards change width with the window and the Bootstrap grid: follow the box, not the window.
    new ResizeObserver(() => {
        const width = Math.max(100, box.clientWidth);
        if (width !== plot.width) {
            plot.setSize({ width, height });
        }
    }).observe(box);

    return (times, ...columns) => {
        const seconds = times.map(t => (typeof t === "number" ? t : Date.parse(t)) / 1000);
        const points = seconds.length;
        if (!span && points > 1) {
            formatTime = timeFormatter(seconds[points - 1] - seconds[0]);
        }
        plot.setData([seconds, ...columns]);
        box.dataset.points = String(points);
        holder.hidden = points < 2;
        empty.hidden = points >= 2;
    };
}
