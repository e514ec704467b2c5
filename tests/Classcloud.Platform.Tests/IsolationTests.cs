using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests;

public sealed class IsolationTests(EngineFixture engine, ITestOutputHelper output) : EngineTest(engine, output)
{
    static readonly string[] Listener = ["bash", "-c", "trap 'exit 0' TERM; nc -lk 8080 & wait $!"];

    [Fact]
    public async Task Workloads_of_a_tenant_reach_each_other_by_name_and_other_tenants_cannot()
    {
        var a = await NewTenantAsync("a");
        var b = await NewTenantAsync("b");
        var server = Spec("srv", Listener) with { Tenant = a };
        var neighbour = Spec("nbr") with { Tenant = a };
        var stranger = Spec("str") with { Tenant = b };
        await Task.WhenAll(Platform.EnsureAsync(server, Timeout()), Platform.EnsureAsync(neighbour, Timeout()), Platform.EnsureAsync(stranger, Timeout()));
        var address = Assert.Single((await Platform.GetAsync(server.Id, Timeout()))!.Instances).Address;
        Assert.False(string.IsNullOrEmpty(address));

        var near = await RunAsync(neighbour.Id, "timeout", "5", "bash", "-c", $"exec 3<>/dev/tcp/{server.Id}/8080 && echo connected");
        Assert.Equal("connected\n", near.Stdout);

        // Not by name (the tenant's DNS does not know it) and not by address (no route between bridges).
        var byName = await RunAsync(stranger.Id, "timeout", "3", "bash", "-c", $"exec 3<>/dev/tcp/{server.Id}/8080 && echo connected");
        Assert.NotEqual(0, byName.ExitCode);
        var byAddress = await RunAsync(stranger.Id, "timeout", "3", "bash", "-c", $"exec 3<>/dev/tcp/{address}/8080 && echo connected");
        Assert.NotEqual(0, byAddress.ExitCode);
        Assert.Equal("", byAddress.Stdout);

        var networks = await Platform.ListTenantNetworksAsync(Timeout());
        Assert.Contains(networks, n => n.Tenant == a && n.Internal);
        var inUse = await Assert.ThrowsAsync<PlatformConflictException>(() => Platform.RemoveTenantNetworkAsync(a, Timeout()));
        Assert.Contains("active endpoints", inUse.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workload_has_no_engine_socket_no_network_without_a_tenant_and_no_loopback_service_through_the_gateway()
    {
        var alone = Spec("alone");
        await Platform.EnsureAsync(alone, Timeout());
        Assert.Equal("lo\n", (await RunAsync(alone.Id, "ls", "/sys/class/net")).Stdout);
        Assert.NotEqual(0, (await RunAsync(alone.Id, "test", "-e", "/var/run/docker.sock")).ExitCode);

        // Measured: even on an internal network the host answers on the bridge gateway for ports
        // bound to 0.0.0.0. The registry (test.sh) binds 127.0.0.1 only, so it stays out of reach;
        // and the host firewall (HostFirewallTests) drops the attempt before it gets that far.
        var tenant = await NewTenantAsync("out");
        var inside = Spec("inside") with { Tenant = tenant };
        await Platform.EnsureAsync(inside, Timeout());
        var gateway = Gateway((await RunAsync(inside.Id, "cat", "/proc/net/route")).Stdout);
        var registry = await RunAsync(inside.Id, "timeout", "3", "bash", "-c", $"exec 3<>/dev/tcp/{gateway}/5000 && echo connected");
        Assert.Equal("", registry.Stdout);
        Assert.NotEqual(0, registry.ExitCode);
    }

    /// <summary>The default route's gateway from /proc/net/route (little-endian hex).</summary>
    static string Gateway(string routes)
    {
        var fields = routes.Split('\n').Select(l => l.Split('\t')).First(f => f.Length > 2 && f[1] == "00000000");
        var bytes = Convert.FromHexString(fields[2]);
        Array.Reverse(bytes);
        return new System.Net.IPAddress(bytes).ToString();
    }
}
