using System.Globalization;
using System.Text;

namespace Classcloud.Platform.Tests.Infrastructure;

/// <summary>
/// Base of the tests against the real engine: unique names per test, small limits, and removal of
/// everything the test made (by its run label) when it ends.
/// </summary>
[Collection(EngineCollection.Name)]
public abstract class EngineTest(EngineFixture engine, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>A main process that idles and exits at once on SIGTERM (bash as PID 1 ignores it otherwise).</summary>
    protected static readonly string[] Idle = ["bash", "-c", "trap 'exit 0' TERM; while :; do sleep 1 & wait $!; done"];

    protected const long MiB = 1024 * 1024;

    readonly string run = Guid.NewGuid().ToString("N")[..8];
    readonly List<string> tenants = [];
    int counter;

    protected IContainerPlatform Platform => engine.Platform;

    protected ITestOutputHelper Output => output;

    protected EngineFixture Engine => engine;

    protected IReadOnlyDictionary<string, string> RunLabels => new Dictionary<string, string> { ["classcloud.io/test-run"] = run };

    protected WorkloadId NewId(string name) => new($"t-{name}-{run}-{counter++.ToString(CultureInfo.InvariantCulture)}");

    protected string NewName(string name) => $"t-{name}-{run}-{counter++.ToString(CultureInfo.InvariantCulture)}";

    protected async Task<string> NewTenantAsync(string name, bool allowEgress = false)
    {
        var tenant = NewName(name);
        tenants.Add(tenant);
        await Platform.EnsureTenantNetworkAsync(tenant, allowEgress, Timeout());
        return tenant;
    }

    /// <summary>A small workload on the test image, labelled with this test's run.</summary>
    protected WorkloadSpec Spec(string name, params string[] command) => new()
    {
        Id = NewId(name),
        Image = EngineFixture.BaseImage,
        Command = command.Length > 0 ? command : Idle,
        Labels = RunLabels,
        Resources = new WorkloadResources(Cpus: 0.5, MemoryBytes: 64 * MiB, Pids: 64),
        StopGracePeriod = TimeSpan.FromSeconds(2),
    };

    protected static CancellationToken Timeout(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    protected Task<ExecResult> RunAsync(WorkloadId id, params string[] command) =>
        Platform.RunAsync(id, new ExecRequest { Command = command }, Timeout());

    /// <summary>
    /// Reads a session's output until <paramref name="done"/> holds for all of it so far, or the
    /// output ends (Ended), or time runs out (then the text so far is returned for the assertion to show).
    /// </summary>
    internal static async Task<(string Text, bool Ended)> ReadUntilAsync(IStreamSession session, Func<string, bool> done, int seconds = 15)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        var ct = Timeout(seconds);
        try
        {
            while (!done(text.ToString()))
            {
                var read = await session.ReadAsync(buffer, ct);
                if (read.Count == 0)
                {
                    return (text.ToString(), true);
                }
                text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            }
        }
        catch (OperationCanceledException)
        {
        }
        return (text.ToString(), false);
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        var ct = Timeout(60);
        foreach (var workload in await Platform.ListAsync(RunLabels, ct))
        {
            await Platform.RemoveAsync(workload.Id, ct);
        }
        foreach (var volume in await Platform.ListVolumesAsync(RunLabels, ct))
        {
            await Platform.RemoveVolumeAsync(volume.Name, ct);
        }
        foreach (var tenant in tenants)
        {
            await Platform.RemoveTenantNetworkAsync(tenant, ct);
        }
    }
}
