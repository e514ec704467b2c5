namespace Classcloud.Web.Assignments.WorkspaceCli;

/// <summary>
/// A second, small HTTP server on the Unix socket <see cref="WorkspaceCliFiles.SocketPath"/> (mode 0666, in a folder
/// that course workspaces mount read-only). Workloads cannot open connections to the host's ports (the firewall
/// step), and they need not: the socket reaches this process without any network. It is a server of its own, not an
/// endpoint of the main one, so the socket serves the workspace-CLI routes and nothing else, and those routes are not
/// served over TCP at all. Its handlers take their services from the application's container.
/// </summary>
internal sealed class WorkspaceCliServer(IServiceProvider services, WorkspaceCliFiles files, ILogger<WorkspaceCliServer> log) : IHostedService, IAsyncDisposable
{
    WebApplication? server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await files.WriteAsync(cancellationToken);
        var socket = files.SocketPath;
        if (File.Exists(socket))
        {
            File.Delete(socket); // left by a previous run; a socket file cannot be bound again
        }
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.ListenUnixSocket(socket);
            k.Limits.MaxRequestBodySize = 8L * 1024 * 1024; // the outputs of at most 50 tests, 64 KiB each
            k.AddServerHeader = false;
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.UseRouting();
        WorkspaceCliRoutes.Map(app, services);
        try
        {
            await app.StartAsync(cancellationToken);
            File.SetUnixFileMode(socket, (UnixFileMode)0b110_110_110); // any uid in a container may connect; the token decides
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ArgumentException or System.Net.Sockets.SocketException)
        {
            // A path past the socket length limit, a folder not writable: the rest of Classcloud works, and the command says it cannot reach it.
            log.LogError(ex, "The workspace command's socket {Socket} could not be opened; classcloud will say Classcloud is not reachable", socket);
            await app.DisposeAsync();
            return;
        }
        server = app;
        log.LogInformation("The workspace command's API listens on {Socket}", socket);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            await server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
