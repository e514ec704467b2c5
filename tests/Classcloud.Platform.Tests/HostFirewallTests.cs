using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Classcloud.Platform.Docker;
using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests;

/// <summary>
/// The host side of isolation: scripts/lib.sh isolate_workloads drops new connections from the
/// cc-* bridges of tenant networks to the host, the host still reaches workloads, and the engine's
/// address pools (start_docker writes them) hold far more than the default ~30 networks.
/// </summary>
public sealed class HostFirewallTests(EngineFixture engine, ITestOutputHelper output) : EngineTest(engine, output)
{
    const string Chain = "CLASSCLOUD-ISOLATION";
    static readonly TimeSpan ShellTimeout = TimeSpan.FromSeconds(60);

    public override async Task InitializeAsync()
    {
        // The step run.sh and test.sh use; twice, because it must be idempotent.
        for (var i = 0; i < 2; i++)
        {
            var (code, text) = await HostShell.LibAsync("isolate_workloads", ShellTimeout);
            Assert.True(code == 0, text);
        }
        var (_, rules) = await HostShell.RunAsync("iptables", ["-w", "-S"], ShellTimeout);
        Assert.Single(rules.Split('\n'), l => l == $"-A INPUT -i cc-+ -j {Chain}");
        Assert.Single(rules.Split('\n'), l => l == $"-A {Chain} -j DROP");
    }

    [Fact]
    public async Task A_workload_cannot_connect_to_a_host_port_on_all_interfaces_and_the_drop_rule_is_what_stops_it()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var accepted = 0;
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref accepted);
            }
        });

        var tenant = await NewTenantAsync("fw");
        Assert.True(Directory.Exists($"/sys/class/net/{ContainerRequests.BridgeName(tenant)}"), "the tenant network's bridge is named cc-<hash>");
        var inside = Spec("fw") with { Tenant = tenant };
        await Platform.EnsureAsync(inside, Timeout());
        var gateway = Gateway((await RunAsync(inside.Id, "cat", "/proc/net/route")).Stdout);
        var connect = $"exec 3<>/dev/tcp/{gateway}/{port} && echo connected";

        var dropsBefore = await DropCountAsync();
        var blocked = await RunAsync(inside.Id, "timeout", "3", "bash", "-c", connect);
        Assert.Equal("", blocked.Stdout);
        Assert.Equal(124, blocked.ExitCode); // dropped: no answer at all until the timeout
        Assert.Equal(0, Volatile.Read(ref accepted));
        Assert.True(await DropCountAsync() > dropsBefore, "the chain's DROP rule counted the workload's packets");

        // With a hole for exactly this port ahead of the DROP, the same workload gets through.
        string[] rule = ["-p", "tcp", "--dport", port, "-j", "RETURN"];
        Assert.Equal(0, (await HostShell.RunAsync("iptables", ["-w", "-I", Chain, "1", .. rule], ShellTimeout)).Code);
        try
        {
            var open = await RunAsync(inside.Id, "timeout", "3", "bash", "-c", connect);
            Assert.Equal("connected\n", open.Stdout);
            for (var i = 0; i < 50 && Volatile.Read(ref accepted) == 0; i++)
            {
                await Task.Delay(100);
            }
            Assert.Equal(1, Volatile.Read(ref accepted));
        }
        finally
        {
            await HostShell.RunAsync("iptables", ["-w", "-D", Chain, .. rule], ShellTimeout);
        }
        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => accepting);
    }

    [Fact]
    public async Task The_host_still_reaches_a_workload_on_its_tenant_network()
    {
        var tenant = await NewTenantAsync("reach");
        var server = Spec("srv", "bash", "-c", "trap 'exit 0' TERM; while :; do echo hello-from-workload | nc -l 8080; done & wait $!") with { Tenant = tenant };
        await Platform.EnsureAsync(server, Timeout());
        var address = Assert.Single((await Platform.GetAsync(server.Id, Timeout()))!.Instances).Address;
        using var client = new TcpClient();
        for (var i = 0; ; i++)
        {
            try
            {
                await client.ConnectAsync(IPAddress.Parse(address!), 8080, Timeout(5));
                break;
            }
            catch (SocketException) when (i < 20)
            {
                await Task.Delay(200); // nc is not listening yet
            }
        }
        using var reader = new StreamReader(client.GetStream());
        Assert.Equal("hello-from-workload", await reader.ReadLineAsync(Timeout(5)));
    }

    [Fact]
    public async Task Forty_tenant_networks_fit_each_with_its_own_subnet_and_bridge()
    {
        var tenants = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            tenants.Add(await NewTenantAsync($"n{i.ToString(CultureInfo.InvariantCulture)}"));
        }
        var mine = (await Platform.ListTenantNetworksAsync(Timeout())).Where(n => tenants.Contains(n.Tenant)).ToList();
        Assert.Equal(40, mine.Count);
        Assert.Equal(40, mine.Select(n => n.Subnet).Distinct().Count());
        Assert.All(tenants, t => Assert.True(Directory.Exists($"/sys/class/net/{ContainerRequests.BridgeName(t)}"), t));
    }

    static async Task<long> DropCountAsync()
    {
        var (code, text) = await HostShell.RunAsync("iptables", ["-w", "-L", Chain, "-v", "-x", "-n"], ShellTimeout);
        Assert.Equal(0, code);
        var drop = text.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Single(f => f.Length > 2 && f[2] == "DROP");
        return long.Parse(drop[0], CultureInfo.InvariantCulture);
    }

    /// <summary>The default route's gateway from /proc/net/route (little-endian hex).</summary>
    static string Gateway(string routes)
    {
        var fields = routes.Split('\n').Select(l => l.Split('\t')).First(f => f.Length > 2 && f[1] == "00000000");
        var bytes = Convert.FromHexString(fields[2]);
        Array.Reverse(bytes);
        return new IPAddress(bytes).ToString();
    }
}
