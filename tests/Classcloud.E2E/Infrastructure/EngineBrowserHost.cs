using System.Globalization;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Tests.Orchestration;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.E2E.Infrastructure;

/// <summary>
/// A browser host with the container platform, the controller and the gateway on, whose terminal and
/// desktop images are one small test image (tmux; TigerVNC with an X client that logs every input event
/// the X server delivers, in /tmp/xev.log). Everything it makes on the engine carries its own scope and
/// is removed at the end.
/// </summary>
public sealed class EngineBrowserHost : BrowserHost
{
    public const string Image = "classcloud-test/e2e-workspace:1";

    // Desktop: Xvnc with the workspace's password, and xev on the root window (no window manager, so the
    // root window receives the key and pointer events) writing each event to /tmp/xev.log.
    const string Start = """
        #!/bin/sh
        if [ -z "${CLASSCLOUD_VNC_PASSWORD:-}" ]; then
          trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done
        fi
        mkdir -p /tmp/vnc && printf '%s\n' "$CLASSCLOUD_VNC_PASSWORD" | tigervncpasswd -f > /tmp/vnc/passwd && chmod 600 /tmp/vnc/passwd
        unset CLASSCLOUD_VNC_PASSWORD
        Xvnc :1 -rfbport 5901 -SecurityTypes VncAuth -PasswordFile /tmp/vnc/passwd -AlwaysShared -geometry 800x600 -depth 24 -retro -nolisten tcp &
        x=$!
        trap 'kill $x; exit 0' TERM
        for i in $(seq 1 100); do [ -e /tmp/.X11-unix/X1 ] && break; sleep 0.05; done
        DISPLAY=:1 stdbuf -oL xev -root -event keyboard -event button -event mouse > /tmp/xev.log 2>&1 &
        wait $x
        """;

    const string Dockerfile = """
        FROM classcloud-test/base:1
        RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tmux tigervnc-standalone-server tigervnc-tools x11-utils \
         && rm -rf /var/lib/apt/lists/*
        COPY start.sh /usr/local/bin/start.sh
        RUN chmod 755 /usr/local/bin/start.sh
        USER 1000:1000
        CMD ["/usr/local/bin/start.sh"]
        """;

    readonly EngineFixture engine = new();
    readonly string scope = $"e-{Guid.NewGuid():N}"[..14];

    public EngineBrowserHost()
    {
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Classcloud:Platform:Enabled"] = "true",
            ["Classcloud:Controller:Scope"] = scope,
            ["Classcloud:Controller:ResyncInterval"] = "00:00:01",
            ["Classcloud:Workspaces:TerminalImage"] = Image,
            ["Classcloud:Workspaces:DesktopImage"] = Image,
            ["Classcloud:Workspaces:RepositoryPrefix"] = $"classcloud-test/{scope}/workspace",
            ["Classcloud:Workspaces:MemoryBytes"] = (256L * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
        })
        {
            Configure(key, value);
        }
    }

    public IContainerPlatform Engine => engine.Platform;

    public override async Task InitializeAsync()
    {
        await engine.InitializeAsync();
        if (await engine.Platform.InspectImageAsync(Image, CancellationToken.None) is null)
        {
            var dir = Directory.CreateTempSubdirectory("classcloud-e2e-image-");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Dockerfile"), Dockerfile);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "start.sh"), Start.ReplaceLineEndings("\n") + "\n");
            await ControllerHarness.DockerAsync("build", "-q", "-t", Image, dir.FullName);
            dir.Delete(recursive: true);
        }
        await base.InitializeAsync();
    }

    /// <summary>Runs a shell command inside a workload (as its user) and returns its standard output.</summary>
    public async Task<string> ShAsync(WorkloadId workload, string script) =>
        (await Engine.RunAsync(workload, new ExecRequest { Command = ["sh", "-c", script] }, CancellationToken.None)).Stdout;

    // After the host has stopped (so the controller cannot recreate anything).
    protected override async Task CleanUpAsync()
    {
        var labels = new Dictionary<string, string> { [ControllerLabels.Scope] = scope };
        foreach (var workload in await Engine.ListAsync(labels, CancellationToken.None))
        {
            await Engine.RemoveAsync(workload.Id, CancellationToken.None);
        }
        foreach (var volume in await Engine.ListVolumesAsync(labels, CancellationToken.None))
        {
            await Engine.RemoveVolumeAsync(volume.Name, CancellationToken.None);
        }
        foreach (var network in await Engine.ListTenantNetworksAsync(CancellationToken.None))
        {
            if (network.Tenant.StartsWith(scope, StringComparison.Ordinal))
            {
                await Engine.RemoveTenantNetworkAsync(network.Tenant, CancellationToken.None);
            }
        }
        await engine.DisposeAsync();
    }
}
