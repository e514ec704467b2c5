using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Projects.Deploy;

/// <summary>Builds waiting to run in this process, and the log of each build while it runs (the row gets it at the end).</summary>
public sealed class BuildQueue
{
    readonly Channel<long> queue = Channel.CreateUnbounded<long>();
    readonly ConcurrentDictionary<long, StringBuilder> live = new();

    public void Enqueue(long buildId) => queue.Writer.TryWrite(buildId);

    public IAsyncEnumerable<long> ReadAllAsync(CancellationToken ct) => queue.Reader.ReadAllAsync(ct);

    public void Begin(long buildId) => live[buildId] = new StringBuilder();

    public void Append(long buildId, string text)
    {
        if (live.TryGetValue(buildId, out var log))
        {
            lock (log)
            {
                log.Append(text);
                if (!text.EndsWith('\n'))
                {
                    log.Append('\n');
                }
            }
        }
    }

    /// <summary>The log so far of a build running here; null when it does not run in this process.</summary>
    public string? Live(long buildId)
    {
        if (!live.TryGetValue(buildId, out var log))
        {
            return null;
        }
        lock (log)
        {
            return log.ToString();
        }
    }

    public string End(long buildId) => live.TryRemove(buildId, out var log) ? log.ToString() : "";
}

/// <summary>Runs queued builds one at a time (the machine's cores are shared); builds left running by a stopped process fail on start.</summary>
public sealed class BuildWorker(IServiceScopeFactory scopes, BuildQueue queue, TimeProvider time, ILogger<BuildWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
            var now = time.GetUtcNow().UtcDateTime;
            await db.ProjectBuilds.Where(b => b.Status == BuildStates.Queued || b.Status == BuildStates.Building)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BuildStates.Failed).SetProperty(b => b.FinishedAt, now)
                    .SetProperty(b => b.Log, b => b.Log + "The server stopped during this build; deploy again.\n"), stoppingToken);
        }
        await foreach (var id in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<ProjectBuilder>().BuildAsync(id, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                log.LogError(ex, "Build {Build} failed unexpectedly", id);
            }
        }
    }
}
