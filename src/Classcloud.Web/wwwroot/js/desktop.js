// A workspace's desktop: noVNC on the gateway's VNC WebSocket (docs/workspaces.md, "Gateway").
// The gateway has already authenticated to the VNC server and offers this page security None.
// viewOnly here only keeps the mouse and keyboard quiet: the gateway drops a viewer's input anyway.
import RFB from "../lib/novnc/core/rfb.js";
import { sessionControls } from "./session-controls.js";

for (const root of document.querySelectorAll(".cc-desktop[data-url]")) {
    start(root);
}

function start(root) {
    const canControl = root.dataset.canControl === "true";
    const controls = sessionControls(root, connect);
    const screen = root.querySelector("[data-screen]");
    const clipboardPanel = root.querySelector("[data-clipboard]");
    const clipboardText = root.querySelector("[data-clipboard-text]");
    let rfb = null;

    function connect() {
        controls.connecting();
        const scheme = location.protocol === "https:" ? "wss:" : "ws:";
        const client = new RFB(screen, scheme + "//" + location.host + root.dataset.url, { shared: true, wsProtocols: ["binary"] });
        rfb = client;
        client.scaleViewport = true;   // the whole desktop fits the window
        client.resizeSession = false;  // never resize the shared desktop from one browser
        client.viewOnly = !canControl;
        client.focusOnClick = canControl;
        client.showDotCursor = true;
        client.addEventListener("connect", () => {
            controls.connected();
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
                controls.ended();
                return;
            }
            controls.blip();
        });
        client.addEventListener("securityfailure", () => controls.ended("danger"));
        client.addEventListener("clipboard", event => {
            if (clipboardText) {
                clipboardText.value = event.detail.text;
            }
            navigator.clipboard?.writeText(event.detail.text).catch(() => { });
        });
    }

    controls.onReconnectClick(() => {
        rfb?.disconnect();
        rfb = null;
        connect();
    });
    window.addEventListener("online", () => { if (!rfb) connect(); });
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
