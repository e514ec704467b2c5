using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Classcloud.Platform.Tests.Kubernetes.Fake;

namespace Classcloud.Platform.Tests.Kubernetes;

/// <summary>What only the Kubernetes driver does: the objects it makes, pending pods, watch recovery, the exec protocol versions, API errors.</summary>
public sealed class KubernetesDriverTests(FakeClusterFixture cluster) : IClassFixture<FakeClusterFixture>, IAsyncLifetime
{
    readonly string run = Guid.NewGuid().ToString("N")[..8];
    int counter;

    IContainerPlatform Platform => cluster.Platform;

    FakeKubeApi Api => cluster.Api;

    IReadOnlyDictionary<string, string> RunLabels => new Dictionary<string, string> { ["classcloud.io/test-run"] = run };

    string NewName(string name) => $"k-{name}-{run}-{counter++.ToString(CultureInfo.InvariantCulture)}";

    WorkloadSpec Spec(string name, string? tenant = null) => new()
    {
        Id = new WorkloadId(NewName(name)),
        Image = "registry.example/classcloud/test:1",
        Command = ["sleep", "infinity"],
        Labels = RunLabels,
        Tenant = tenant,
        Resources = new WorkloadResources(Cpus: 0.5, MemoryBytes: 64L * 1024 * 1024),
    };

    static CancellationToken Timeout(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    async Task<WorkloadStatus?> WaitForAsync(WorkloadId id, Func<WorkloadStatus?, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        WorkloadStatus? status;
        do
        {
            status = await Platform.GetAsync(id, Timeout());
            if (done(status))
            {
                return status;
            }
            await Task.Delay(30);
        }
        while (DateTime.UtcNow < deadline);
        return status;
    }

    [Fact]
    public async Task A_workload_is_a_hardened_deployment_with_a_headless_service_and_its_claims()
    {
        var tenant = NewName("sec");
        await Platform.EnsureTenantNetworkAsync(tenant, allowEgress: false, Timeout());
        var spec = Spec("sec", tenant) with { Capabilities = ["NET_BIND_SERVICE"], Volumes = [new VolumeMount(NewName("home"), "/home/classcloud")], Tmpfs = [new TmpfsMount("/work")] };
        await Platform.EnsureAsync(spec, Timeout());
        var ns = $"cc-{tenant}";

        var deployment = Api.Get("deployments", ns, spec.Id.Value)!;
        Assert.Equal("Recreate", deployment["spec"]!["strategy"]!["type"]!.GetValue<string>());
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.False(pod["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.True(pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        Assert.Equal(1000, pod["securityContext"]!["runAsUser"]!.GetValue<long>());
        Assert.Equal("RuntimeDefault", pod["securityContext"]!["seccompProfile"]!["type"]!.GetValue<string>());
        Assert.Equal("registry-pull", pod["imagePullSecrets"]![0]!["name"]!.GetValue<string>());
        var main = pod["containers"]![0]!;
        AssertJson("""{"allowPrivilegeEscalation":false,"privileged":false,"runAsNonRoot":true,"readOnlyRootFilesystem":false,"capabilities":{"add":["NET_BIND_SERVICE"],"drop":["ALL"]},"seccompProfile":{"type":"RuntimeDefault"}}""",
            main["securityContext"]!);
        AssertJson("""{"requests":{"cpu":"50m","memory":"16777216"},"limits":{"cpu":"500m","memory":"67108864","ephemeral-storage":"2Gi"}}""", main["resources"]!);
        Assert.Equal(["sleep"], main["command"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("Memory", pod["volumes"]![1]!["emptyDir"]!["medium"]!.GetValue<string>());
        // The new claim is seeded with the image's home directory, as Docker does for a new volume.
        var seed = pod["initContainers"]![0]!;
        Assert.Equal(spec.Image, seed["image"]!.GetValue<string>());
        Assert.Equal(["sh", "-c", "[ -n \"$(ls -A \"$2\" | grep -vx lost+found)\" ] || [ ! -d \"$1\" ] || cp -a \"$1\"/. \"$2\"/", "seed", "/home/classcloud", "/classcloud-seed"],
            seed["command"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("vol-0", seed["volumeMounts"]![0]!["name"]!.GetValue<string>());
        Assert.True(seed["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>());

        var service = Api.Get("services", ns, spec.Id.Value)!;
        Assert.Equal("None", service["spec"]!["clusterIP"]!.GetValue<string>());
        var claim = Api.Get("persistentvolumeclaims", ns, spec.Volumes[0].Volume)!;
        Assert.Equal("fast-ssd", claim["spec"]!["storageClassName"]!.GetValue<string>());
        Assert.Equal("5Gi", claim["spec"]!["resources"]!["requests"]!["storage"]!.GetValue<string>());
    }

    [Fact]
    public async Task Secret_values_live_in_a_Secret_per_workload_referenced_updated_and_deleted_with_it()
    {
        var tenant = NewName("env");
        await Platform.EnsureTenantNetworkAsync(tenant, allowEgress: false, Timeout());
        var ns = $"cc-{tenant}";
        var spec = Spec("env", tenant) with
        {
            Environment = new Dictionary<string, string> { ["PLAIN"] = "shown", ["CLASH"] = "plain-loses" },
            SecretEnvironment = new Dictionary<string, string> { ["CLASSCLOUD_VNC_PASSWORD"] = "first-secret", ["CLASH"] = "secret-wins" },
        };
        var secretName = $"{spec.Id.Value}-env";
        await Platform.EnsureAsync(spec, Timeout());

        var deployment = Api.Get("deployments", ns, spec.Id.Value)!;
        Assert.DoesNotContain("first-secret", deployment.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-wins", deployment.ToJsonString(), StringComparison.Ordinal);
        var env = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!);
        Assert.Equal(["CLASH", "CLASSCLOUD_VNC_PASSWORD", "PLAIN"], env.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("shown", env["PLAIN"]["value"]!.GetValue<string>());
        foreach (var name in new[] { "CLASSCLOUD_VNC_PASSWORD", "CLASH" })
        {
            AssertJson("{\"secretKeyRef\":{\"name\":\"" + secretName + "\",\"key\":\"" + name + "\"}}", env[name]["valueFrom"]!);
        }
        Assert.Equal(new Dictionary<string, string> { ["CLASSCLOUD_VNC_PASSWORD"] = "first-secret", ["CLASH"] = "secret-wins" }, SecretData(ns, secretName));

        // A changed value: the Secret follows and the pod template changes with the spec hash.
        var hash = deployment["metadata"]!["labels"]![PlatformInfo.SpecHashLabel]!.GetValue<string>();
        var changed = spec with { SecretEnvironment = new Dictionary<string, string> { ["CLASSCLOUD_VNC_PASSWORD"] = "second-secret" } };
        await Platform.EnsureAsync(changed, Timeout());
        Assert.Equal(new Dictionary<string, string> { ["CLASSCLOUD_VNC_PASSWORD"] = "second-secret" }, SecretData(ns, secretName));
        Assert.NotEqual(hash, Api.Get("deployments", ns, spec.Id.Value)!["metadata"]!["labels"]![PlatformInfo.SpecHashLabel]!.GetValue<string>());

        // No secret values left: no Secret; and one made again goes with the workload.
        await Platform.EnsureAsync(spec with { SecretEnvironment = new Dictionary<string, string>() }, Timeout());
        Assert.Null(Api.Get("secrets", ns, secretName));
        await Platform.EnsureAsync(changed, Timeout());
        Assert.NotNull(Api.Get("secrets", ns, secretName));
        Assert.True(await Platform.RemoveAsync(spec.Id, Timeout()));
        Assert.Null(Api.Get("secrets", ns, secretName));
    }

    Dictionary<string, string> SecretData(string ns, string name) =>
        Api.Get("secrets", ns, name)!["data"]!.AsObject().ToDictionary(d => d.Key, d => Encoding.UTF8.GetString(Convert.FromBase64String(d.Value!.GetValue<string>())));

    [Fact]
    public async Task A_tenant_is_a_namespace_that_denies_all_but_itself_and_the_gateway_with_a_quota_and_the_pull_secret()
    {
        var tenant = NewName("ns");
        var info = await Platform.EnsureTenantNetworkAsync(tenant, allowEgress: true, Timeout());
        Assert.False(info.Internal);
        var ns = $"cc-{tenant}";
        var labels = Api.Get("namespaces", null, ns)!["metadata"]!["labels"]!;
        Assert.Equal(tenant, labels["classcloud.io/tenant"]!.GetValue<string>());
        Assert.Equal("baseline", labels["pod-security.kubernetes.io/enforce"]!.GetValue<string>());

        var policies = Api.List("networkpolicies", ns).ToDictionary(p => p["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(["allow-gateway", "allow-internet", "allow-tenant", "default-deny"], policies.Keys.Order(StringComparer.Ordinal));
        AssertJson("""{"podSelector":{},"policyTypes":["Ingress","Egress"]}""", policies["default-deny"]["spec"]!);
        var gateway = policies["allow-gateway"]["spec"]!["ingress"]![0]!["from"]![0]!;
        Assert.Equal("classcloud", gateway["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        Assert.Equal("gateway", gateway["podSelector"]!["matchLabels"]!["app.kubernetes.io/component"]!.GetValue<string>());
        Assert.Contains("169.254.0.0/16", policies["allow-internet"]["spec"]!["egress"]![0]!["to"]![0]!["ipBlock"]!["except"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("64", Api.Get("resourcequotas", ns, "classcloud-quota")!["spec"]!["hard"]!["limits.cpu"]!.GetValue<string>());
        Assert.Equal("kubernetes.io/dockerconfigjson", Api.Get("secrets", ns, "registry-pull")!["type"]!.GetValue<string>());

        Assert.True(await Platform.RemoveTenantNetworkAsync(tenant, Timeout()));
        Assert.Null(Api.Get("namespaces", null, ns));
    }

    [Fact]
    public async Task A_pod_the_cluster_cannot_place_yet_waits_for_capacity_with_the_schedulers_reason()
    {
        var spec = Spec("big") with { Labels = RunLabels, Resources = new WorkloadResources(Cpus: 1, MemoryBytes: 48L * 1024 * 1024 * 1024) };
        await Platform.EnsureAsync(spec, Timeout());
        var waiting = await WaitForAsync(spec.Id, s => s?.Instances is [{ Reason: { } reason }, ..] && reason.Contains("Insufficient", StringComparison.Ordinal));
        var instance = Assert.Single(waiting!.Instances);
        Assert.Equal(InstanceState.Pending, instance.State);
        Assert.Equal("Waiting for capacity: 0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.", instance.Reason);
        Assert.Null(instance.Error);
        Assert.Equal(0, waiting.Running);

        Api.AddCapacity(64L * 1024 * 1024 * 1024);  // the cluster autoscaler adds a node
        var running = await WaitForAsync(spec.Id, s => s?.Running == 1);
        Assert.Equal(InstanceState.Running, running!.Instances[0].State);
        Assert.Null(running.Instances[0].Reason);
        await Platform.RemoveAsync(spec.Id, Timeout());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_watch_lists_again_after_410_Gone_and_says_it_reconnected(bool goneAsHttpStatus)
    {
        Api.GoneAsHttpStatus = goneAsHttpStatus;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = Channel.CreateUnbounded<PlatformEvent>();
        var watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in Platform.WatchAsync(cancel.Token))
                {
                    await events.Writer.WriteAsync(e, cancel.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        await Task.Delay(300);
        var spec = Spec("watch");
        await Platform.EnsureAsync(spec, Timeout());
        await NextAsync(events, e => e.Workload == spec.Id && e.Kind == PlatformEventKind.Started, cancel.Token);

        Api.Compact();
        Api.EndWatches();
        await NextAsync(events, e => e.Kind == PlatformEventKind.Reconnected, cancel.Token);
        await Platform.RestartAsync(spec.Id, Timeout());
        await NextAsync(events, e => e.Workload == spec.Id && e.Kind == PlatformEventKind.Started, cancel.Token);

        var pod = (await Platform.GetAsync(spec.Id, Timeout()))!.Instances[0].InstanceId;
        Api.Crash($"cc--isolated", pod, 137, oomKilled: true);
        var oom = await NextAsync(events, e => e.Workload == spec.Id && e.Kind == PlatformEventKind.OomKilled, cancel.Token);
        var exited = await NextAsync(events, e => e.Workload == spec.Id && e.Kind == PlatformEventKind.Exited, cancel.Token);
        Assert.Equal(137, exited.ExitCode);
        await NextAsync(events, e => e.Workload == spec.Id && e.Kind == PlatformEventKind.Started, cancel.Token);
        var status = (await Platform.GetAsync(spec.Id, Timeout()))!.Instances[0];
        Assert.True(status.OomKilled);
        Assert.Equal(1, status.RestartCount);
        Assert.Equal(0, oom.Replica);

        await cancel.CancelAsync();
        await watching;
        Api.GoneAsHttpStatus = false;
        Assert.Contains(Api.Requests, r => r.StartsWith("GET /api/v1/pods?labelSelector", StringComparison.Ordinal) && !r.Contains("watch=true", StringComparison.Ordinal));
    }

    /// <summary>The same JSON, whatever the order of the properties (the client writes them in its own order).</summary>
    static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}, got {actual.ToJsonString()}");

    static async Task<PlatformEvent> NextAsync(Channel<PlatformEvent> events, Func<PlatformEvent, bool> match, CancellationToken ct)
    {
        while (true)
        {
            var e = await events.Reader.ReadAsync(ct);
            if (match(e))
            {
                return e;
            }
        }
    }

    [Fact]
    public async Task Api_errors_become_typed_exceptions_with_the_servers_message()
    {
        Api.Forbid("create", "deployments");
        try
        {
            var ex = await Assert.ThrowsAsync<PlatformException>(() => Platform.CreateAsync(Spec("forbidden"), Timeout()));
            Assert.Equal(403, ex.StatusCode);
            Assert.Contains("cannot create resource \"deployments\" in API group \"apps\"", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Api.Allow("create", "deployments");
        }

        var invalid = Spec("invalid") with { Labels = new Dictionary<string, string>(RunLabels) { ["classcloud.io/course"] = "not a label value" } };
        var rejected = await Assert.ThrowsAsync<PlatformInvalidRequestException>(() => Platform.CreateAsync(invalid, Timeout()));
        Assert.Equal(422, rejected.StatusCode);
        Assert.Contains("not a label value", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deployment_classcloud_did_not_make_is_never_taken_over()
    {
        var spec = Spec("foreign");
        using var http = Api.CreateHttpClient();
        var foreign = new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = spec.Id.Value, ["labels"] = new JsonObject { ["app"] = "theirs" } },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "theirs" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "theirs" } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "x" }) },
                },
            },
        };
        await Platform.CreateAsync(Spec("makes-the-namespace"), Timeout());
        (await http.PostAsync("apis/apps/v1/namespaces/cc--isolated/deployments", new StringContent(foreign.ToJsonString()))).EnsureSuccessStatusCode();

        var ex = await Assert.ThrowsAsync<PlatformConflictException>(() => Platform.CreateAsync(spec, Timeout()));
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
        Assert.Equal("theirs", Api.Get("deployments", "cc--isolated", spec.Id.Value)!["metadata"]!["labels"]!["app"]!.GetValue<string>());
        Assert.Null(await Platform.GetAsync(spec.Id, Timeout()));
        await http.DeleteAsync($"apis/apps/v1/namespaces/cc--isolated/deployments/{spec.Id}");
    }

    [Fact]
    public async Task An_older_api_server_speaking_only_v4_still_gives_a_terminal()
    {
        var spec = Spec("v4");
        await Platform.EnsureAsync(spec, Timeout());
        await WaitForAsync(spec.Id, s => s?.Running == 1);
        Api.ExecProtocols = ["v4.channel.k8s.io"];
        try
        {
            await using var session = await Platform.ExecAsync(spec.Id, new ExecRequest { Command = ["bash"], Tty = true }, Timeout());
            await session.ResizeAsync(100, 30, Timeout());
            await session.WriteAsync(Encoding.UTF8.GetBytes("stty size\rexit 7\r"), Timeout());
            var output = await ReadAllAsync(session);
            Assert.Contains("stty size", output, StringComparison.Ordinal);
            Assert.Contains("30 100", output, StringComparison.Ordinal);
            Assert.Equal(7, await session.GetExitCodeAsync(Timeout()));
            Assert.Equal((100, 30), Api.LastResize);

            // v4 has no way to close stdin alone.
            await Assert.ThrowsAsync<PlatformNotSupportedException>(() =>
                Platform.RunAsync(spec.Id, new ExecRequest { Command = ["cat"], Input = "x"u8.ToArray() }, Timeout()));
        }
        finally
        {
            Api.ExecProtocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];
        }
    }

    static async Task<string> ReadAllAsync(IStreamSession session)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (await session.ReadAsync(buffer, Timeout()) is { Count: > 0 } read)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
        }
        return text.ToString();
    }

    [Fact]
    public async Task Attach_connects_to_the_main_process_terminal()
    {
        var spec = Spec("attach") with { Tty = true, Command = ["bash"] };
        await Platform.EnsureAsync(spec, Timeout());
        await WaitForAsync(spec.Id, s => s?.Running == 1);
        await using var session = await Platform.AttachAsync(spec.Id, 0, Timeout());
        Assert.True(session.Tty);
        await session.WriteAsync(Encoding.UTF8.GetBytes("echo attached\r"), Timeout());
        var text = new StringBuilder();
        var buffer = new byte[1024];
        while (!text.ToString().Contains("attached\r\n", StringComparison.Ordinal))
        {
            var read = await session.ReadAsync(buffer, Timeout());
            Assert.NotEqual(0, read.Count);
            text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
        }
        Assert.Contains(Api.Requests, r => r.StartsWith("GET /api/v1/namespaces/cc--isolated/pods/", StringComparison.Ordinal) && r.Contains("/attach?", StringComparison.Ordinal) && r.Contains("stdin=1", StringComparison.Ordinal) && r.Contains("container=main", StringComparison.Ordinal));
        Assert.Null(await session.GetExitCodeAsync(Timeout()));  // still running
    }

    [Fact]
    public async Task What_kubernetes_cannot_do_says_so_and_names_the_design()
    {
        var spec = Spec("unsupported");
        await Platform.EnsureAsync(spec, Timeout());
        var pause = await Assert.ThrowsAsync<PlatformNotSupportedException>(() => Platform.PauseAsync(spec.Id, Timeout()));
        Assert.Contains("cannot freeze a pod", pause.Message, StringComparison.Ordinal);
        var commit = await Assert.ThrowsAsync<PlatformNotSupportedException>(() => Platform.CommitAsync(spec.Id, 0, "registry.example/x:1", Timeout()));
        Assert.Contains("docs/kubernetes.md", commit.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PlatformNotSupportedException>(() => Platform.BuildImageAsync(Stream.Null, new ImageBuildRequest { Tag = "x:1" }, null, Timeout()));
        await Assert.ThrowsAsync<PlatformNotSupportedException>(() => Platform.PushImageAsync("x:1", null, null, Timeout()));
        await Assert.ThrowsAsync<PlatformNotSupportedException>(() => Platform.ExecAsync(spec.Id, new ExecRequest { Command = ["id"], User = "2000" }, Timeout()));
        Assert.False(Platform.Features.TenantMove);
        var move = await Assert.ThrowsAsync<PlatformNotSupportedException>(() => Platform.MoveTenantAsync(spec.Id, "elsewhere", Timeout()));
        Assert.Contains("warm pool", move.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_follow_new_lines_and_stats_come_from_the_metrics_api()
    {
        var spec = Spec("observe");
        await Platform.EnsureAsync(spec, Timeout());
        var pod = (await WaitForAsync(spec.Id, s => s?.Running == 1))!.Instances[0].InstanceId;

        var all = await Platform.LogsAsync(spec.Id, new LogOptions(), Timeout()).ToListAsync();
        Assert.Equal($"started {pod}", Assert.Single(all).Text);
        Assert.True(all[0].Time > DateTimeOffset.UtcNow.AddMinutes(-1));

        using var follow = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var lines = Platform.LogsAsync(spec.Id, new LogOptions(Follow: true, Tail: 0), follow.Token).GetAsyncEnumerator(follow.Token);
        var next = lines.MoveNextAsync().AsTask();
        await Task.Delay(300);  // the follow request is open before the line is written
        Api.AppendLog(pod, "a new line");
        Assert.True(await next);
        Assert.Equal("a new line", lines.Current.Text);
        await follow.CancelAsync();
        await lines.DisposeAsync();

        var sample = await Platform.StatsAsync(spec.Id, 0, Timeout()).FirstAsync();
        Assert.Equal(25, sample.CpuPercent, precision: 3);
        Assert.Equal(20L * 1024 * 1024, sample.MemoryBytes);
        Assert.Equal(64L * 1024 * 1024, sample.MemoryLimitBytes);

        Api.MetricsAvailable = false;
        Assert.Empty(await Platform.StatsAsync(spec.Id, 0, Timeout()).ToListAsync());
        Api.MetricsAvailable = true;
    }

    [Fact]
    public async Task A_changed_spec_replaces_the_pods_and_another_tenant_moves_the_workload()
    {
        var first = await Platform.EnsureAsync(Spec("change"), Timeout());
        var spec = first.Spec!;
        var before = (await WaitForAsync(spec.Id, s => s?.Running == 1))!.Instances[0].InstanceId;
        await Platform.EnsureAsync(spec with { Environment = new Dictionary<string, string> { ["A"] = "1" } }, Timeout());
        var after = await WaitForAsync(spec.Id, s => s?.Running == 1 && s.Instances[0].InstanceId != before);
        Assert.NotEqual(before, after!.Instances[0].InstanceId);
        Assert.Equal("1", after.Spec!.Environment["A"]);

        var tenant = NewName("move");
        await Platform.EnsureTenantNetworkAsync(tenant, allowEgress: false, Timeout());
        await Platform.CreateAsync(spec with { Tenant = tenant }, Timeout());
        Assert.Null(Api.Get("deployments", "cc--isolated", spec.Id.Value));
        Assert.NotNull(Api.Get("deployments", $"cc-{tenant}", spec.Id.Value));
        await Platform.RemoveAsync(spec.Id, Timeout());
        await Platform.RemoveTenantNetworkAsync(tenant, Timeout());
    }

    [Fact]
    public async Task Engine_info_comes_from_the_version_and_the_nodes()
    {
        var info = await Platform.GetEngineInfoAsync(Timeout());
        Assert.Equal("kubernetes", info.Driver);
        Assert.Equal("v1.31.0-fake", info.Version);
        Assert.Equal(4, info.Cpus);
        Assert.True(info.MemoryBytes >= 8L * 1024 * 1024 * 1024);
        Assert.Equal("1", info.Details["nodes"]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var workload in await Platform.ListAsync(RunLabels, Timeout()))
        {
            await Platform.RemoveAsync(workload.Id, Timeout());
        }
    }
}
