using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>
/// A real browser drives the gateway's clients against real workspaces on the engine: a student types
/// into xterm.js and the file appears in the workspace; an educator watches a student's course-linked
/// desktop through noVNC and nothing they send reaches its X server (the owner's input does, which
/// shows the check can fail).
/// </summary>
public sealed class WorkspaceConnectTests(EngineBrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<EngineBrowserHost>, IClassFixture<BrowserFixture>
{
    new EngineBrowserHost Host => host;

    WorkspaceNames Names => Host.Services.GetRequiredService<WorkspaceNames>();

    [Fact]
    public Task A_student_creates_a_terminal_workspace_that_starts_by_itself_and_types_into_it() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync();
        await page.NewAccountAsync(Host, "term");
        var me = (await page.ApiMeAsync(Host)).GetProperty("id").GetInt64();

        await page.GotoAsync("/workspaces/new");
        await page.GetByTestId("ws-name").FillAsync("Shell practice");
        await page.GetByTestId("ws-kind").SelectOptionAsync("terminal");
        await page.GetByTestId("ws-submit").ClickAsync();
        var id = await Host.WithDbAsync(db => db.Workspaces.Where(w => w.OwnerId == me).Select(w => w.Id).SingleAsync());
        // The page starts what it creates (issue 17): no "start" click between create and connect.
        await Expect(page.GetByTestId($"state-{id}")).ToHaveTextAsync("running", new() { Timeout = 60_000 });
        await page.GetByTestId($"connect-{id}").ClickAsync();

        await Expect(page.Locator("[data-status]")).ToHaveTextAsync("Connected to the workspace");
        var marker = Guid.NewGuid().ToString("N")[..10];
        await page.Locator(".xterm").ClickAsync();
        // The shell works out $((6*7)): "hello-42-…" on the screen and in the file can only come from the workspace.
        await page.Keyboard.TypeAsync($"echo hello-$((6*7))-{marker} > ~/typed.txt; cat ~/typed.txt");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".xterm-rows")).ToContainTextAsync($"hello-42-{marker}");
        Assert.Equal($"hello-42-{marker}\n", await Host.ShAsync(Names.Workload(id), "cat /home/classcloud/typed.txt"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("workspace-terminal.png") });
    });

    [Fact]
    public Task On_a_phone_the_row_of_keys_sends_arrows_and_ctrl_to_the_shell() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync("ko-KR");
        await page.NewAccountAsync(Host, "phone"); // the sign-up flow's checks look for the wide page's menu
        await page.SetViewportSizeAsync(390, 844);
        var me = (await page.ApiMeAsync(Host)).GetProperty("id").GetInt64();
        await page.GotoAsync("/workspaces/new");
        await page.GetByTestId("ws-name").FillAsync("휴대폰 연습");
        await page.GetByTestId("ws-kind").SelectOptionAsync("terminal");
        await page.GetByTestId("ws-submit").ClickAsync();
        var id = await Host.WithDbAsync(db => db.Workspaces.Where(w => w.OwnerId == me).Select(w => w.Id).SingleAsync());
        await Expect(page.GetByTestId($"state-{id}")).ToHaveTextAsync("실행 중", new() { Timeout = 60_000 });
        await page.GetByTestId($"connect-{id}").ClickAsync();
        await Expect(page.Locator("[data-status]")).ToHaveTextAsync("워크스페이스에 연결됨");
        var keys = page.GetByRole(AriaRole.Toolbar, new() { Name = "터미널 키" });
        await Expect(keys).ToBeVisibleAsync();
        await page.Locator(".xterm").ClickAsync();
        // The test image's user logs in to sh, which has no line editing: bash does (the shipped image's shell).
        await page.Keyboard.TypeAsync("exec bash");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("echo ready-$((2+3))");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".xterm-rows")).ToContainTextAsync("ready-5");

        // Ctrl from the row, then "u": bash drops the line typed so far, so "wrong" never runs.
        await page.Keyboard.TypeAsync("echo wrong");
        await keys.GetByRole(AriaRole.Button, new() { Name = "Ctrl" }).ClickAsync();
        await Expect(keys.GetByRole(AriaRole.Button, new() { Name = "Ctrl" })).ToHaveAttributeAsync("aria-pressed", "true");
        await page.Keyboard.TypeAsync("u");
        await Expect(keys.GetByRole(AriaRole.Button, new() { Name = "Ctrl" })).ToHaveAttributeAsync("aria-pressed", "false");
        // Left from the row moves the cursor: "ab", left, "X" gives "aXb", which only the shell can print.
        await page.Keyboard.TypeAsync("echo ab > ~/keys.txt");
        for (var i = 0; i < " > ~/keys.txt".Length + 1; i++)
        {
            await keys.GetByRole(AriaRole.Button, new() { Name = "왼쪽" }).ClickAsync();
        }
        await page.Keyboard.TypeAsync("X");
        await page.Keyboard.PressAsync("Enter");
        await Eventually.UntilAsync(async () => await Host.ShAsync(Names.Workload(id), "cat /home/classcloud/keys.txt 2>/dev/null || true") == "aXb\n",
            TimeSpan.FromSeconds(30), "aXb written by the shell");
        Assert.Equal("0", (await Host.ShAsync(Names.Workload(id), "tmux capture-pane -p -t main | grep -cx wrong || true")).Trim());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("workspace-terminal-phone-ko.png") });
    });

    [Fact]
    public Task An_educator_watches_a_students_course_desktop_and_cannot_act_on_it() => InBrowserAsync(async session =>
    {
        var educator = await Host.UserAsync(TestRole.Educator);
        var student = await Host.UserAsync(TestRole.Student);
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Linux 101", description = "2026-2" })))
            .GetProperty("id").GetInt64();
        var application = await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{course}/applications", null));
        await Api.OkAsync(educator.Client.PostAsync($"/api/v1/courses/{course}/applications/{application.GetProperty("id").GetInt64()}/accept", null));
        var id = (await Api.CreatedAsync(student.Client.PostAsJsonAsync("/api/v1/workspaces",
            new { name = "My desktop", description = "", kind = "desktop", visibility = "private", guestAccess = "view", courseId = course })))
            .GetProperty("id").GetInt64();
        await StateAsync(student, id, "stopped");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await student.Client.PostAsync($"/api/v1/workspaces/{id}/start", null)).StatusCode);
        await StateAsync(student, id, "running");
        var workload = Names.Workload(id);

        var watcher = await session.NewPageAsync();
        await watcher.SignInAsync(educator.Email);
        await watcher.GotoAsync($"/workspaces/{id}/connect");
        await Expect(watcher.GetByText("Watching (view only)")).ToBeVisibleAsync();
        // The first connection waits for the desktop's X server, which boots after the container runs (slowly on a busy machine).
        await Expect(watcher.Locator("[data-status]")).ToHaveTextAsync("Connected to the workspace", new() { Timeout = 60_000 });
        // A framebuffer arrived: noVNC's canvas has the desktop's size and opaque pixels (an empty canvas is transparent).
        var canvas = watcher.Locator("[data-screen] canvas");
        await Expect(canvas).ToBeVisibleAsync();
        await watcher.WaitForFunctionAsync("""
            () => { const c = document.querySelector('[data-screen] canvas');
                    return c && c.width === 800 && c.getContext('2d').getImageData(400, 300, 1, 1).data[3] === 255; }
            """);
        await watcher.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("workspace-desktop-view-only.png") });

        // The educator's page does not send input (noVNC is view only) — and the gateway drops it even when
        // a client sends it anyway: key, button and motion events straight on the VNC WebSocket.
        await canvas.ClickAsync();
        await watcher.Keyboard.TypeAsync("rm -rf ~");
        Assert.Equal("sent", await watcher.EvaluateAsync<string>(RawInput, id));

        // The owner controls: the same messages from the owner's browser do reach the X server. They are the
        // marker for the educator's: RawInput returned only once the VNC server had answered a request sent
        // after the input, so input of the educator's that got through would be in the X server's queue, and
        // in xev's log, before the owner's. Exactly one key press and one button press means none did.
        var owner = await session.NewPageAsync();
        await owner.SignInAsync(student.Email);
        await owner.GotoAsync($"/workspaces/{id}/connect");
        await Expect(owner.Locator("[data-status]")).ToHaveTextAsync("Connected to the workspace");
        Assert.Equal("sent", await owner.EvaluateAsync<string>(RawInput, id));
        var log = "";
        for (var i = 0; i < 50 && !(log.Contains("KeyPress", StringComparison.Ordinal) && log.Contains("ButtonPress", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(100);
            log = await Host.ShAsync(workload, "cat /tmp/xev.log");
        }
        Assert.Equal(1, Regex.Count(log, "KeyPress"));
        Assert.Equal(1, Regex.Count(log, "ButtonPress"));
    });

    /// <summary>
    /// In the page: opens the workspace's VNC WebSocket (the page's cookies and Origin), does the RFB 3.8
    /// handshake the gateway offers (security None), then sends a key press/release of "a" and a click at (100,100),
    /// then a framebuffer update request, and returns once the server's update arrives: the server has read
    /// everything the gateway passed on before it.
    /// </summary>
    const string RawInput = """
        async id => {
          const url = new URL(`/api/v1/workspaces/${id}/vnc`, location.href);
          url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
          const ws = new WebSocket(url, ["binary"]);
          ws.binaryType = "arraybuffer";
          let buf = new Uint8Array(0), waiters = [];
          ws.onmessage = e => {
            const d = new Uint8Array(e.data), n = new Uint8Array(buf.length + d.length);
            n.set(buf); n.set(d, buf.length); buf = n;
            const w = waiters; waiters = []; w.forEach(f => f());
          };
          await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = () => fail(new Error("WebSocket failed")); });
          const read = async n => {
            while (buf.length < n) await new Promise(r => waiters.push(r));
            const out = buf.slice(0, n); buf = buf.slice(n); return out;
          };
          await read(12); ws.send(new TextEncoder().encode("RFB 003.008\n"));
          const count = (await read(1))[0]; await read(count); ws.send(new Uint8Array([1]));
          await read(4); ws.send(new Uint8Array([1]));
          const init = await read(24); await read(new DataView(init.buffer).getUint32(20));
          for (const down of [1, 0]) ws.send(new Uint8Array([4, down, 0, 0, 0, 0, 0, 0x61]));
          for (const mask of [0, 1, 0]) ws.send(new Uint8Array([5, mask, 0, 100, 0, 100 + mask]));
          ws.send(new Uint8Array([3, 0, 0, 0, 0, 0, 0, 1, 0, 1]));
          for (;;) {
            const type = (await read(1))[0];
            if (type === 0) break;                    // FramebufferUpdate: the answer
            if (type === 3) {                         // ServerCutText: padding, length, text
              const head = await read(7); await read(new DataView(head.buffer).getUint32(3));
            } else if (type !== 2) {                  // Bell has no body; nothing else is expected
              throw new Error(`unexpected server message ${type}`);
            }
          }
          ws.close();
          return "sent";
        }
        """;

    static async Task StateAsync(TestUser user, long id, string state)
    {
        var last = "";
        for (var i = 0; i < 300 && last != state; i++)
        {
            last = (await Api.OkAsync(user.Client.GetAsync($"/api/v1/workspaces/{id}"))).GetProperty("state").GetString()!;
            if (last != state)
            {
                await Task.Delay(200);
            }
        }
        Assert.Equal(state, last);
    }
}
