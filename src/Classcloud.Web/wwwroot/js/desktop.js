// A workspace's desktop: noVNC on the gateway's VNC WebSocket (docs/workspaces.md, "Gateway").
// The gateway has already authenticated to the VNC server and offers this page security None.
// viewOnly here only keeps the mouse and keyboard quiet: the gateway drops a viewer's input anyway.
import RFB from "../lib/novnc/core/rfb.js";

for (const root of document.querySelectorAll(".cc-desktop[data-url]")) {
    start(root);
}

function start(root) {
    const canControl = root.dataset.canControl === "true";
    const label = name => root.dataset["label" + name[0].toUpperCase() + name.slice(1)] || name;
    const screen = root.querySelector("[data-screen]");
    const status = root.querySelector("[data-status]");
    const reconnectButton = root.querySelector("[data-reconnect]");
    const clipboardPanel = root.querySelector("[data-clipboard]");
    const clipboardText = root.querySelector("[data-clipboard-text]");
    let rfb = null;
    let attempt = 0;
    let timer = null;

    const setStatus = (text, kind) => {
        status.textContent = text;
        status.className = "badge text-bg-" + kind;
    };

    function connect() {
        clearTimeout(timer);
        reconnectButton.hidden = true;
        setStatus(label("connecting"), "secondary");
        const scheme = location.protocol === "https:" ? "wss:" : "ws:";
        const client = new RFB(screen, scheme + "//" + location.host + root.dataset.url, { shared: true, wsProtocols: ["binary"] });
        rfb = client;
        client.scaleViewport = true;   // the whole desktop fits the window
        client.resizeSession = false;  // never resize the shared desktop from one browser
        client.viewOnly = !canControl;
        client.focusOnClick = canControl;
        client.showDotCursor = true;
        client.addEventListener("connect", () => {
            attempt = 0;
            setStatus(label("connected"), "success");
            if (canControl) {
                client.focus();
            }
        });
        client.addEventListener("disconnect", event => {
            if (rfb !== client) {
                return;
            }
            rfb = null;
            // A clean close is the desktop or the gateway ending the session; anything else is a blip.
            if (event.detail.clean) {
                setStatus(label("ended"), "secondary");
                reconnectButton.hidden = false;
                return;
            }
            scheduleReconnect();
        });
        client.addEventListener("securityfailure", () => setStatus(label("ended"), "danger"));
        client.addEventListener("clipboard", event => {
            if (clipboardText) {
                clipboardText.value = event.detail.text;
            }
            navigator.clipboard?.writeText(event.detail.text).catch(() => { });
        });
    }

    function scheduleReconnect() {
        attempt++;
        if (attempt > 12) {
            setStatus(label("ended"), "secondary");
            reconnectButton.hidden = false;
            return;
        }
        const seconds = Math.min(30, 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
        setStatus(label("reconnecting").replace("{0}", Math.ceil(seconds)), "warning");
        reconnectButton.hidden = false;
        timer = setTimeout(connect, seconds * 1000);
    }

    reconnectButton?.addEventListener("click", () => {
        rfb?.disconnect();
        rfb = null;
        connect();
    });
    window.addEventListener("online", () => { if (!rfb) connect(); });
    root.querySelector("[data-fullscreen]")?.addEventListener("click", () => {
        if (document.fullscreenElement) {
            document.exitFullscreen();
        } else {
            root.requestFullscreen?.();
        }
    });
    root.querySelector("[data-clipboard-toggle]")?.addEventListener("click", () => {
        clipboardPanel.hidden = !clipboardPanel.hidden;
    });
    root.querySelector("[data-clipboard-send]")?.addEventListener("click", () => {
        rfb?.clipboardPasteFrom(clipboardText.value);
        rfb?.focus();
    });
    // Pasting into the desktop with the browser's clipboard, when the browser lets the page read it.
    screen.addEventListener("paste", event => {
        const text = event.clipboardData?.getData("text/plain");
        if (canControl && text) {
            rfb?.clipboardPasteFrom(text);
        }
    });

    connect();
}
