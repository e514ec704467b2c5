using Classcloud.Platform.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Platform.Tests.Kubernetes;

/// <summary>
/// A workspace's life on a real cluster: a tenant namespace, a home claim seeded from the image,
/// a file in the home that outlives stop and start, the main process's log, and the resource
/// samples (none without metrics-server, which test.sh's cluster has not). The cluster has no
/// volume provisioner, so the test offers one hostPath PersistentVolume in a storage class of its
/// own, which only this test's claim can bind.
/// </summary>
public sealed class RealClusterWorkspaceTests(ITestOutputHelper output)
{
    const string Home = "/home/classcloud";

    [ClusterFact]
    public async Task A_workspace_keeps_its_home_across_stop_and_start_with_logs_on_a_real_cluster()
    {
        var kubeconfig = Environment.GetEnvironmentVariable(ClusterFactAttribute.Variable)!;
        var image = Environment.GetEnvironmentVariable("CLASSCLOUD_K8S_E2E_IMAGE") is { Length: > 0 } i ? i : "docker.io/library/debian:bookworm-slim";
        var tenant = $"e2e-{Guid.NewGuid():N}"[..20];
        var storageClass = $"classcloud-{tenant}";
        await using var services = EngineFixture.CreateServices(new Dictionary<string, string?>
        {
            ["Classcloud:Platform:Driver"] = "kubernetes",
            ["Classcloud:Platform:Kubernetes:Kubeconfig"] = kubeconfig,
            ["Classcloud:Platform:Kubernetes:NamespacePrefix"] = "cc-e2e-",
            ["Classcloud:Platform:Kubernetes:StorageClass"] = storageClass,
            ["Classcloud:Platform:Kubernetes:VolumeSize"] = "1Gi",
        });
        var platform = services.GetRequiredService<IContainerPlatform>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = timeout.Token;

        await using var offered = await HostPathVolume.OfferAsync(kubeconfig, storageClass, ct);
        var volume = $"home-{tenant}";
        var spec = new WorkloadSpec
        {
            Id = new WorkloadId(tenant + "-ws"),
            Image = image,
            Command = ["sh", "-c", "echo workspace up; trap 'exit 0' TERM; while :; do sleep 1 & wait $!; done"],
            Tenant = tenant,
            Volumes = [new VolumeMount(volume, Home)],
            Resources = new WorkloadResources(Cpus: 0.2, MemoryBytes: 64L * 1024 * 1024),
            StopGracePeriod = TimeSpan.FromSeconds(5),
        };
        try
        {
            var network = await platform.EnsureTenantNetworkAsync(tenant, allowEgress: false, ct);
            output.WriteLine($"tenant {tenant}: {network}");
            Assert.Contains(await platform.ListTenantNetworksAsync(ct), n => n.Tenant == tenant);
            await platform.EnsureVolumeAsync(volume, new Dictionary<string, string> { [PlatformInfo.TenantLabel] = tenant }, ct);
            await platform.EnsureAsync(spec, ct);
            await UntilAsync(platform, spec.Id, running: 1, ct);

            // The claim was filled from the image's home (useradd copied /etc/skel there).
            var seeded = await platform.RunAsync(spec.Id, new ExecRequest { Command = ["sh", "-c", $"ls -A {Home}; echo kept > {Home}/proof"] }, ct);
            Assert.Equal(0, seeded.ExitCode);
            Assert.Contains(".bashrc", seeded.Stdout, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(offered.HostDirectory, "proof")), "the file is on the node's volume");

            var log = new List<LogEntry>();
            await foreach (var entry in platform.LogsAsync(spec.Id, new LogOptions(), ct))
            {
                log.Add(entry);
            }
            Assert.Contains(log, e => e.Text == "workspace up" && e.Time > DateTimeOffset.UtcNow.AddMinutes(-10));

            // No metrics-server on this cluster: the samples end at once, with a warning in the log.
            var samples = new List<WorkloadStats>();
            await foreach (var sample in platform.StatsAsync(spec.Id, 0, ct))
            {
                samples.Add(sample);
            }
            Assert.Empty(samples);

            await platform.StopAsync(spec.Id, ct);
            await UntilAsync(platform, spec.Id, running: 0, ct);
            Assert.Contains(await platform.ListVolumesAsync(new Dictionary<string, string>(), ct), v => v.Name == volume);
            await platform.StartAsync(spec.Id, ct);
            await UntilAsync(platform, spec.Id, running: 1, ct);
            var kept = await platform.RunAsync(spec.Id, new ExecRequest { Command = ["cat", $"{Home}/proof"] }, ct);
            Assert.Equal(new ExecResult(0, "kept\n", "", false), kept);

            Assert.True(await platform.RemoveAsync(spec.Id, ct));
            Assert.True(await platform.RemoveVolumeAsync(volume, ct));
            Assert.True(await platform.RemoveTenantNetworkAsync(tenant, ct));
        }
        finally
        {
            await platform.RemoveAsync(spec.Id, CancellationToken.None);
            await platform.RemoveVolumeAsync(volume, CancellationToken.None);
            await platform.RemoveTenantNetworkAsync(tenant, CancellationToken.None);
        }
    }

    /// <summary>Polls the workload until <paramref name="running"/> instances run (the pod's phase is what the API server reports).</summary>
    async Task UntilAsync(IContainerPlatform platform, WorkloadId id, int running, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromMinutes(3));
        WorkloadStatus? status;
        while ((status = await platform.GetAsync(id, ct))?.Running != running)
        {
            output.WriteLine(string.Join(", ", status?.Instances.Select(i => $"{i.State}: {i.Reason}") ?? []));
            await Task.Delay(1000, limit.Token);
        }
    }
}
