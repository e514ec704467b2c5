using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Classcloud.Platform;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Projects.Serve;

/// <summary>
/// Where a project's request goes, starting the project when it is at zero (Knative's activator, in process):
/// the first request asks for the start, the others wait on the same start; an instance takes requests once its
/// port accepts a connection. With several instances each request goes to the one with the fewest requests in
/// flight, and an instance being drained for a scale-in gets none. The counts in flight also tell the idle
/// scaler never to stop an app mid-request and the autoscaler how busy each project is.
/// </summary>
public sealed class AppActivator(IServiceScopeFactory scopes, IOptions<ProjectsOptions> options, ILogger<AppActivator> log)
{
    /// <summary>The instances are trusted this long before the engine is asked again (a stopped app's address goes stale; a new instance shows up).</summary>
    static readonly TimeSpan RoutesLifetime = TimeSpan.FromSeconds(2);

    readonly ConcurrentDictionary<long, SemaphoreSlim> starts = new();
    readonly ConcurrentDictionary<long, (Route[] Routes, long At)> routes = new();
    readonly ConcurrentDictionary<long, int> inFlight = new();
    readonly ConcurrentDictionary<string, int> perAddress = new(StringComparer.Ordinal);
    /// <summary>Project → the first replica being drained (it and those above take no new request).</summary>
    readonly ConcurrentDictionary<long, int> drainFrom = new();
    readonly Lock pick = new();

    sealed record Route(int Replica, string Address);

    /// <summary>The address of the instance this request goes to (counted until <see cref="Leave"/>), or null when none answered within the cold-start timeout.</summary>
    public async Task<string?> AddressAsync(long projectId, CancellationToken ct)
    {
        if (Pick(projectId) is { } known)
        {
            return known;
        }
        var gate = starts.GetOrAdd(projectId, _ => new SemaphoreSlim(1, 1));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.ColdStartTimeout);
        try
        {
            await gate.WaitAsync(timeout.Token);
            try
            {
                // Another request may have found the instances while this one waited.
                return Pick(projectId) ?? (await RefreshAsync(projectId, timeout.Token) ? Pick(projectId) : null);
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

    public void Forget(long projectId) => routes.TryRemove(projectId, out _);

    public void Enter(long projectId) => inFlight.AddOrUpdate(projectId, 1, (_, n) => n + 1);

    /// <summary>The request ended; <paramref name="address"/> is the instance it went to (null: it never got one).</summary>
    public void Leave(long projectId, string? address = null)
    {
        inFlight.AddOrUpdate(projectId, 0, (_, n) => Math.Max(n - 1, 0));
        if (address is not null)
        {
            perAddress.AddOrUpdate(address, 0, (_, n) => Math.Max(n - 1, 0));
        }
    }

    public bool Busy(long projectId) => InFlight(projectId) > 0;

    /// <summary>Requests of the project in this gateway now, those waiting for a start included.</summary>
    public int InFlight(long projectId) => inFlight.TryGetValue(projectId, out var n) ? n : 0;

    /// <summary>Every project this gateway has served since it started (the autoscaler looks at these).</summary>
    public IReadOnlyCollection<long> Projects => [.. inFlight.Keys];

    /// <summary>
    /// Stops sending requests to replicas <paramref name="from"/> and above and waits (at most <paramref name="max"/>)
    /// until their requests in flight have ended: a scale-in drops nothing. <see cref="EndDrain"/> after the scale.
    /// </summary>
    public async Task DrainAsync(long projectId, int from, TimeSpan max, CancellationToken ct)
    {
        lock (pick)
        {
            drainFrom[projectId] = from;
        }
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < max && routes.TryGetValue(projectId, out var known)
            && known.Routes.Any(r => r.Replica >= from && perAddress.GetValueOrDefault(r.Address) > 0))
        {
            await Task.Delay(50, ct);
        }
    }

    public void EndDrain(long projectId)
    {
        lock (pick)
        {
            Forget(projectId);
            drainFrom.TryRemove(projectId, out _);
        }
    }

    /// <summary>The least busy ready instance not being drained, counted at once (so a drain never misses it); null when the routes are stale.</summary>
    string? Pick(long projectId)
    {
        lock (pick)
        {
            if (!routes.TryGetValue(projectId, out var known) || Stopwatch.GetElapsedTime(known.At) >= RoutesLifetime)
            {
                return null;
            }
            var limit = drainFrom.TryGetValue(projectId, out var from) ? from : int.MaxValue;
            var best = known.Routes.Where(r => r.Replica < limit).MinBy(r => perAddress.GetValueOrDefault(r.Address));
            if (best is null)
            {
                return null;
            }
            perAddress.AddOrUpdate(best.Address, 1, (_, n) => n + 1);
            return best.Address;
        }
    }

    /// <summary>Finds the running instances that answer, starting the project first when it is at zero; false never (it waits until cancelled).</summary>
    async Task<bool> RefreshAsync(long projectId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var runtime = scope.ServiceProvider.GetRequiredService<ProjectRuntime>();
        var status = await runtime.StatusAsync(projectId, ct);
        if (status?.Instances.Any(i => i.State == InstanceState.Running && i.Address is not null) != true || !await runtime.IsDesiredRunningAsync(projectId, ct))
        {
            log.LogInformation("Starting project {Project} for a request", projectId);
            await runtime.StartAsync(projectId, ct);
        }
        var port = options.Value.AppPort;
        while (true)
        {
            status = await runtime.StatusAsync(projectId, ct);
            var running = status?.Instances.Where(i => i.State == InstanceState.Running && i.Address is not null).ToList() ?? [];
            var answers = await Task.WhenAll(running.Select(async i => (i, await AnswersAsync(i.Address!, port, ct))));
            var ready = answers.Where(a => a.Item2).Select(a => new Route(a.i.Replica, a.i.Address!)).ToArray();
            if (ready.Length > 0)
            {
                routes[projectId] = (ready, Stopwatch.GetTimestamp());
                return true;
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
