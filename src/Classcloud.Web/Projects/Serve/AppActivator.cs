using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Classcloud.Platform;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Projects.Serve;

/// <summary>
/// Where a project's instance answers, starting it when it is at zero (Knative's activator, in process): the
/// first request asks for the start, the others wait on the same start; the address is known once its port
/// accepts a connection. Also counts requests in flight, so the idle scaler never stops an app mid-request.
/// </summary>
public sealed class AppActivator(IServiceScopeFactory scopes, IOptions<ProjectsOptions> options, ILogger<AppActivator> log)
{
    /// <summary>An address is trusted this long before the engine is asked again (a stopped app's address goes stale).</summary>
    static readonly TimeSpan AddressLifetime = TimeSpan.FromSeconds(2);

    readonly ConcurrentDictionary<long, SemaphoreSlim> starts = new();
    readonly ConcurrentDictionary<long, (string Address, long At)> addresses = new();
    readonly ConcurrentDictionary<long, int> inFlight = new();

    /// <summary>The instance's address, or null when none answered within the cold-start timeout.</summary>
    public async Task<string?> AddressAsync(long projectId, CancellationToken ct)
    {
        if (addresses.TryGetValue(projectId, out var known) && Stopwatch.GetElapsedTime(known.At) < AddressLifetime)
        {
            return known.Address;
        }
        var gate = starts.GetOrAdd(projectId, _ => new SemaphoreSlim(1, 1));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.ColdStartTimeout);
        try
        {
            await gate.WaitAsync(timeout.Token);
            try
            {
                return await ReadyAddressAsync(projectId, timeout.Token);
            }
            finally
            {
                gate.Release();
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Forget(long projectId) => addresses.TryRemove(projectId, out _);

    public void Enter(long projectId) => inFlight.AddOrUpdate(projectId, 1, (_, n) => n + 1);

    public void Leave(long projectId) => inFlight.AddOrUpdate(projectId, 0, (_, n) => Math.Max(n - 1, 0));

    public bool Busy(long projectId) => inFlight.TryGetValue(projectId, out var n) && n > 0;

    async Task<string?> ReadyAddressAsync(long projectId, CancellationToken ct)
    {
        if (addresses.TryGetValue(projectId, out var known) && Stopwatch.GetElapsedTime(known.At) < AddressLifetime)
        {
            return known.Address; // another request started it while this one waited
        }
        using var scope = scopes.CreateScope();
        var runtime = scope.ServiceProvider.GetRequiredService<ProjectRuntime>();
        var status = await runtime.StatusAsync(projectId, ct);
        var running = status?.Instances.FirstOrDefault(i => i.State == InstanceState.Running && i.Address is not null);
        if (running is null || !await runtime.IsDesiredRunningAsync(projectId, ct))
        {
            log.LogInformation("Starting project {Project} for a request", projectId);
            await runtime.StartAsync(projectId, ct);
        }
        while (true)
        {
            status = await runtime.StatusAsync(projectId, ct);
            if (status?.Instances.FirstOrDefault(i => i.State == InstanceState.Running)?.Address is { } address
                && await AnswersAsync(address, options.Value.AppPort, ct))
            {
                addresses[projectId] = (address, Stopwatch.GetTimestamp());
                return address;
            }
            await Task.Delay(25, ct);
        }
    }

    static async Task<bool> AnswersAsync(string address, int port, CancellationToken ct)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(TimeSpan.FromMilliseconds(500));
        try
        {
            await socket.ConnectAsync(address, port, attempt.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return false;
        }
    }
}
