// Copies the few files the pages use from node_modules into wwwroot/lib (git-ignored).
import { cpSync, mkdirSync, writeFileSync } from "node:fs";

const files = [
  ["bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"],
  ["bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"],
  ["htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"],
  ["@xterm/xterm/lib/xterm.js", "xterm/xterm.js"],
  ["@xterm/xterm/css/xterm.css", "xterm/xterm.css"],
  ["@xterm/addon-fit/lib/addon-fit.js", "xterm/addon-fit.js"],
  // uPlot as an ES module: wwwroot/js/charts.js imports it and is the only file that does.
  ["uplot/dist/uPlot.esm.js", "uplot/uPlot.esm.js"],
  ["uplot/dist/uPlot.min.css", "uplot/uPlot.min.css"],
  // noVNC is ES modules importing each other by relative path: its two folders go as they are.
  ["@novnc/novnc/core", "novnc/core"],
  ["@novnc/novnc/vendor", "novnc/vendor"],
];
for (const [from, to] of files) {
  const target = `wwwroot/lib/${to}`;
  mkdirSync(target.substring(0, target.lastIndexOf("/")), { recursive: true });
  cpSync(`node_modules/${from}`, target, { recursive: true });
}
writeFileSync("wwwroot/lib/.stamp", new Date().toISOString());
