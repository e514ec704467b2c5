// A workspace's terminal: xterm.js on the gateway's terminal WebSocket (docs/workspaces.md, "Gateway").
// Binary frames are the terminal's bytes both ways; text frames up are {"type":"resize",...}, text
// frames down are notices ({"type":"presence"|"idle"|...,"message":...}). View only is enforced by
// the gateway; here it only stops sending keys.
import { sessionControls } from "./session-controls.js";

const encoder = new TextEncoder();

for (const root of document.querySelectorAll(".cc-terminal[data-url]")) {
    start(root);
}

function start(root) {
    const canControl = root.dataset.canControl === "true";
    const controls = sessionControls(root, connect);
    const label = controls.label;
    const who = root.querySelector("[data-who]");
    const notice = root.querySelector("[data-notice]");
    const term = new window.Terminal({
        cursorBlink: canControl,
        disableStdin: !canControl,
        scrollback: 5000,
        fontFamily: "ui-monospace, 'D2Coding', 'Noto Sans Mono CJK KR', Menlo, Consolas, monospace",
        fontSize: 14,
        theme: { background: "#111111" },
    });
    const fit = new window.FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open(root.querySelector("[data-screen]"));
    fit.fit();

    let socket = null;

    // Copy with a selection and Ctrl+C (or Ctrl+Shift+C); paste with Ctrl+V / Ctrl+Shift+V through the
    // browser's own paste event, which xterm.js turns into input (bracketed paste when the program asks).
    term.attachCustomKeyEventHandler(event => {
        if (event.type !== "keydown" || !(event.ctrlKey || event.metaKey)) {
            return true;
        }
        const key = event.key.toLowerCase();
        if (key === "c" && (event.shiftKey || term.hasSelection())) {
            if (term.hasSelection() && navigator.clipboard) {
                navigator.clipboard.writeText(term.getSelection()).catch(() => { });
            }
            term.clearSelection();
            return false;
        }
        return key !== "v"; // false: xterm.js leaves the key to the browser, which pastes
    });
    term.onSelectionChange(() => {
        if (term.hasSelection() && navigator.clipboard) {
            navigator.clipboard.writeText(term.getSelection()).catch(() => { });
        }
    });

    const send = data => {
        if (socket && socket.readyState === WebSocket.OPEN) {
            socket.send(data);
        }
    };
    const keys = root.querySelector("[data-keys]");
    const ctrl = keys?.querySelector('[data-key="ctrl"]');
    let ctrlNext = false;
    const setCtrl = on => {
        ctrlNext = on;
        ctrl?.setAttribute("aria-pressed", on ? "true" : "false");
    };
    // With Ctrl pressed on the row, the next key typed goes as its control character (Ctrl+C is 0x03).
    const withCtrl = data => {
        if (!ctrlNext || data.length !== 1) {
            return data;
        }
        setCtrl(false);
        const code = data.toUpperCase().charCodeAt(0);
        return code >= 64 && code <= 95 ? String.fromCharCode(code - 64) : data === " " ? "\0" : data;
    };
    const arrow = letter => (term.modes.applicationCursorKeysMode ? "\x1bO" : "\x1b[") + letter;
    const sequences = { esc: () => "\x1b", tab: () => "\t", up: () => arrow("A"), down: () => arrow("B"), right: () => arrow("C"), left: () => arrow("D") };
    keys?.addEventListener("pointerdown", event => event.preventDefault()); // keep the focus (and a phone's keyboard) on the terminal
    keys?.addEventListener("click", event => {
        const key = event.target.closest("[data-key]")?.dataset.key;
        if (!key) {
            return;
        }
        if (key === "ctrl") {
            setCtrl(!ctrlNext);
        } else {
            send(encoder.encode(withCtrl(sequences[key]?.() ?? key)));
        }
        term.focus();
    });
    term.onData(data => canControl && send(encoder.encode(withCtrl(data))));
    term.onBinary(data => canControl && send(Uint8Array.from(data, c => c.charCodeAt(0))));
    term.onResize(({ cols, rows }) => send(JSON.stringify({ type: "resize", cols, rows })));

    let resizeTimer = null;
    const refit = () => {
        clearTimeout(resizeTimer);
        resizeTimer = setTimeout(() => fit.fit(), 80);
    };
    window.addEventListener("resize", refit);
    new ResizeObserver(refit).observe(root.querySelector("[data-screen]"));

    controls.onReconnectClick(() => connect());
    window.addEventListener("online", () => { if (!socket) connect(); });

    function connect() {
        controls.connecting();
        const scheme = location.protocol === "https:" ? "wss:" : "ws:";
        const ws = new WebSocket(scheme + "//" + location.host + root.dataset.url);
        ws.binaryType = "arraybuffer";
        socket = ws;
        ws.onopen = () => {
            controls.connected();
            fit.fit();
            send(JSON.stringify({ type: "resize", cols: term.cols, rows: term.rows }));
            if (canControl) {
                term.focus();
            }
        };
        ws.onmessage = event => {
            if (typeof event.data !== "string") {
                term.write(new Uint8Array(event.data));
                return;
            }
            showNotice(event.data);
        };
        ws.onclose = event => {
            if (socket !== ws) {
                return;
            }
            socket = null;
            // 1000 from the gateway: the session itself ended. 1007–1009: refused; retrying would not help.
            if (event.code === 1000 || event.code === 1007 || event.code === 1008 || event.code === 1009) {
                controls.ended();
                return;
            }
            controls.blip();
        };
    }

    function showNotice(json) {
        let message;
        try {
            message = JSON.parse(json);
        } catch {
            return;
        }
        if (message.type === "presence") {
            const names = [...new Set((message.who || []).map(w => w.name))];
            who.textContent = names.length ? label("who").replace("{0}", names.join(", ")) : "";
            return;
        }
        notice.textContent = message.message || "";
        notice.hidden = !message.message;
    }

    connect();
}
