using System.Diagnostics;
using System.Net.Sockets;
using Classcloud.Platform;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Gateway;

/// <summary>
/// The gateway role (DESIGN.md §2): the terminal and desktop WebSockets of workspaces. Every
/// connection is authenticated (cookie or personal access token), checked by
/// <see cref="IGatewayTargets"/> and connected to the workspace before the upgrade is accepted,
/// so a refusal is an ordinary ProblemDetails response.
/// </summary>
public static class GatewaySetup
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WorkspacePresence>();
        builder.Services.AddSingleton<IWorkspacePresence>(sp => sp.GetRequiredService<WorkspacePresence>());
        builder.Services.AddSingleton<TerminalParking>();
        builder.Services.AddSingleton<TerminalBridge>();
        builder.Services.AddSingleton<VncBridge>();
        if (builder.Roles().Gateway)
        {
            builder.Services.AddHostedService<PresenceHeartbeat>();
            builder.Services.AddHostedService<SessionRecheck>();
        }
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        if (!app.Roles().Gateway)
        {
            return app;
        }
        // Pings keep proxies from dropping a quiet session and notice a peer that vanished without closing.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20), KeepAliveTimeout = TimeSpan.FromSeconds(60) });
        var group = app.MapGroup("/api/v1/workspaces").RequireAuthorization().WithTags("Gateway");
        group.MapGet("/{id:long}/terminal", TerminalAsync);
        group.MapGet("/{id:long}/vnc", VncAsync);
        return app;
    }

    static async Task<Results<EmptyHttpResult, ProblemHttpResult>> TerminalAsync(
        long id, HttpContext http, TerminalBridge bridge, IContainerPlatform platform, IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        var clock = Stopwatch.GetTimestamp();
        var admitted = await AdmitAsync(id, http, GatewayChannel.Terminal, t, ct);
        if (!admitted.Succeeded)
        {
            return admitted.Problem!.ToResult();
        }
        var target = admitted.Value!;
        if (!platform.Features.Enabled)
        {
            return Problem.Conflict("Workspaces cannot run here: the container platform is not enabled.").ToResult();
        }
        IStreamSession session;
        try
        {
            session = await bridge.OpenAsync(platform, target, ct);
        }
        catch (Exception ex) when (ex is PlatformNotFoundException or PlatformConflictException)
        {
            return Problem.Conflict("The workspace is not running; start it first.").ToResult();
        }
        catch (PlatformUnavailableException)
        {
            return new Problem(StatusCodes.Status503ServiceUnavailable, "The container engine is not reachable; try again in a moment.").ToResult();
        }
        var socket = await http.WebSockets.AcceptWebSocketAsync();
        await bridge.RunAsync(socket, session, target, clock, ct);
        return TypedResults.Empty;
    }

    static async Task<Results<EmptyHttpResult, ProblemHttpResult>> VncAsync(
        long id, HttpContext http, VncBridge bridge, IStringLocalizer<SharedResource> t, ILoggerFactory logs, CancellationToken ct)
    {
        var admitted = await AdmitAsync(id, http, GatewayChannel.Vnc, t, ct);
        if (!admitted.Succeeded)
        {
            return admitted.Problem!.ToResult();
        }
        var target = admitted.Value!;
        if (target.VncHost is not { Length: > 0 } host || target.VncPort is <= 0 or > 65535)
        {
            return Problem.Conflict("This workspace has no desktop; connect to its terminal.").ToResult();
        }
        VncBridge.ServerConnection server;
        try
        {
            server = await VncBridge.ConnectAsync(host, target.VncPort, target.VncPassword, ct);
        }
        catch (Exception ex) when (ex is RfbException or SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            logs.CreateLogger<VncBridge>().LogWarning("Desktop of workspace {Workspace} at {Host}:{Port}: {Reason}", id, host, target.VncPort, ex.Message);
            return new Problem(StatusCodes.Status502BadGateway, "The desktop did not answer; wait a moment and connect again.").ToResult();
        }
        // noVNC asks for the "binary" subprotocol; plain clients ask for none.
        var protocol = http.WebSockets.WebSocketRequestedProtocols.Contains("binary") ? "binary" : null;
        var socket = await http.WebSockets.AcceptWebSocketAsync(protocol);
        await bridge.RunAsync(socket, server, target, ct);
        return TypedResults.Empty;
    }

    /// <summary>A WebSocket request from this site (or from a non-browser client), permitted by the workspace's rules.</summary>
    static async Task<Outcome<GatewayTarget>> AdmitAsync(long id, HttpContext http, GatewayChannel channel, IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Problem.BadRequest("This address takes WebSocket connections only.");
        }
        // Browsers send cookies with cross-site WebSocket requests too; only our own pages may use them.
        if (!SameOrigin(http.Request))
        {
            return Problem.Forbidden("Connect from this site's own pages.");
        }
        if (http.RequestServices.GetService<IGatewayTargets>() is not { } targets)
        {
            return Problem.NotFound("There is nothing at this address.");
        }
        return await targets.ResolveAsync(id, http.User, channel, ct);
    }

    internal static bool SameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        // No Origin: not a browser. Otherwise the page's origin must be this site's own: the apps domain is not.
        return string.IsNullOrEmpty(origin) || CrossSiteGuard.IsOwnOrigin(origin, request,
            request.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClasscloudOptions>>().Value);
    }
}
