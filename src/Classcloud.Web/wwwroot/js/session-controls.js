// What the terminal and the desktop pages share around their connection: the status badge, the
// reconnect button, full screen, and reconnecting after a blip with a growing, jittered pause.
// Labels come from the root's data-label-* attributes (localized by the page). The bar's workspace actions
// (stop, save, upload, download) are in session-actions.js.
import { sessionActions } from "./session-actions.js";

export function sessionControls(root, connect) {
    const status = root.querySelector("[data-status]");
    const reconnectButton = root.querySelector("[data-reconnect]");
    const label = name => root.dataset["label" + name[0].toUpperCase() + name.slice(1)] || name;
    let attempt = 0;
    let timer = null;
    let finished = false; // the workspace was stopped from this bar: nothing to reconnect to until it starts again

    const setStatus = (text, kind) => {
        status.textContent = text;
        status.className = "badge text-bg-" + kind;
    };

    // Raise or lower the hand (a course workspace's owner): the teacher's class view shows it.
    const hand = root.querySelector("[data-hand]");
    hand?.addEventListener("click", async () => {
        const raised = hand.getAttribute("aria-pressed") !== "true";
        hand.disabled = true;
        try {
            const response = await fetch(hand.dataset.hand, {
                method: "POST",
                headers: { "Content-Type": "application/json" },
                body: JSON.stringify({ raised }),
            });
            if (response.ok) {
                const up = (await response.json()).raisedAt != null;
                hand.setAttribute("aria-pressed", up ? "true" : "false");
                hand.textContent = up ? hand.dataset.labelLower : hand.dataset.labelRaise;
            }
        } finally {
            hand.disabled = false;
        }
    });

    root.querySelector("[data-fullscreen]")?.addEventListener("click", () => {
        if (document.fullscreenElement) {
            document.exitFullscreen();
        } else {
            root.requestFullscreen?.();
        }
    });

    const controls = {
        label,
        connecting() {
            clearTimeout(timer);
            reconnectButton.hidden = true;
            setStatus(label("connecting"), "secondary");
        },
        connected() {
            attempt = 0;
            setStatus(label("connected"), "success");
        },
        // The session itself ended (or was refused): only the button brings it back.
        ended(kind = "secondary") {
            setStatus(label("ended"), kind);
            root.querySelector("[data-who]")?.replaceChildren(); // nobody is "here now" in an ended session
            reconnectButton.hidden = finished;
        },
        // A blip (network, a gateway restart, a workspace resuming): try again, up to 12 times.
        blip() {
            if (finished) {
                controls.ended();
                return;
            }
            attempt++;
            if (attempt > 12) {
                controls.ended();
                return;
            }
            const seconds = Math.min(30, 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
            setStatus(label("reconnecting").replace("{0}", Math.ceil(seconds)), "warning");
            reconnectButton.hidden = false;
            timer = setTimeout(connect, seconds * 1000);
        },
        onReconnectClick(handler) {
            reconnectButton?.addEventListener("click", handler);
        },
        // This bar stopped the workspace: the session has ended, and a dropped connection is not a blip.
        finish() {
            finished = true;
            clearTimeout(timer);
            controls.ended();
        },
        // The workspace runs again (Start again): connect as the reconnect button does.
        restart() {
            finished = false;
            attempt = 0;
            reconnectButton.click();
        },
    };
    sessionActions(root, controls);
    return controls;
}
