namespace Classcloud.Web.Monitoring;

/// <summary>
/// One monitor pass: the host and engine (<see cref="MachineSampler"/>), each running workload
/// (<see cref="WorkloadSampler"/>) and the registry (<see cref="RegistrySampler"/>) into the in-memory
/// <see cref="UsageSnapshot"/>; then <see cref="MonitorPass"/> writes the history and raises and resolves alerts.
/// </summary>
public sealed class UsagePass(
    IServiceScopeFactory scopes, UsageSnapshot snapshot, MachineSampler machine, WorkloadSampler workloads, RegistrySampler registry, OomWatch ooms)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var m = await machine.SampleAsync(ct);
        var listed = m.Engine is null ? null : await workloads.SampleAsync(ct);
        var r = await registry.SampleAsync(m.SampledAt, ct);
        var reading = new HostReading(m.SampledAt, m.CpuPercent, m.MemoryUsed, m.MemoryTotal, m.Disk, m.EngineDisk, m.Engine is not null, m.Engine?.Version,
            m.Engine?.RunningInstances, m.EngineError, r.Up, r.Error, r.Last);
        snapshot.SetHost(reading);

        await using var scope = scopes.CreateAsyncScope();
        var pass = scope.ServiceProvider.GetRequiredService<MonitorPass>();
        await pass.RunAsync(reading, r.Counted, listed, ooms.Recent(m.SampledAt), ct);
    }
}
