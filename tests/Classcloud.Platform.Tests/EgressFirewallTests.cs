using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests;

/// <summary>
/// The forwarding half of isolation (scripts/lib.sh block_workload_egress): a workload on a tenant
/// network with egress cannot open connections to private ranges, the host can, an allow-listed
/// address can, and workloads of one network still reach each other. All traffic goes to a listener
/// this test starts inside a network namespace it makes on this machine (192.168.231.2 behind a veth
/// pair, outside the engine's 10.200.0.0/14 pools); nothing is sent anywhere else.
/// </summary>
public sealed class EgressFirewallTests(EngineFixture engine, ITestOutputHelper output) : EngineTest(engine, output)
{
    const string Chain = "CLASSCLOUD-EGRESS";
    const string Namespace = "cc-egress-test";
    const string HostSide = "ccegress-h";
    const string NamespaceSide = "ccegress-n";
    const string Listener = "192.168.231.2";
    const int Port = 8099;
    static readonly TimeSpan ShellTimeout = TimeSpan.FromSeconds(60);

    Process? listener;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await RemoveNamespaceAsync();
        await ShAsync($"ip netns add {Namespace}");
        await ShAsync($"ip link add {HostSide} type veth peer name {NamespaceSide} netns {Namespace}");
        await ShAsync($"ip addr add 192.168.231.1/30 dev {HostSide} && ip link set {HostSide} up");
        await ShAsync($"ip netns exec {Namespace} ip addr add {Listener}/30 dev {NamespaceSide}");
        await ShAsync($"ip netns exec {Namespace} ip link set {NamespaceSide} up && ip netns exec {Namespace} ip link set lo up");
        // A listener inside the namespace that answers every connection with one line.
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "netns", "exec", Namespace, "/usr/bin/python3", "-u", "-c",
            $"import socket\ns=socket.socket()\ns.bind(('{Listener}',{Port}))\ns.listen()\nprint('listening')\nwhile True:\n c,_=s.accept()\n c.sendall(b'hello-from-netns\\n')\n c.close()" })
        {
            start.ArgumentList.Add(arg);
        }
        listener = Process.Start(start) ?? throw new InvalidOperationException("the listener did not start");
        Assert.Equal("listening", await listener.StandardOutput.ReadLineAsync(Timeout(10)));
        await ApplyAsync(allow: null);
    }

    public override async Task DisposeAsync()
    {
        if (listener is { } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync(Timeout(10));
            p.Dispose();
        }
        await RemoveNamespaceAsync();
        await ApplyAsync(allow: null); // the default rules, whatever a failed test left
        await base.DisposeAsync();
    }

    [Fact]
    public async Task The_rules_read_back_and_a_workload_cannot_reach_a_private_address_the_host_can_and_the_allow_list_opens_it()
    {
        // Read back: the jump from DOCKER-USER for cc-* bridges, and a drop for every private range.
        var (_, rules) = await HostShell.RunAsync("iptables", ["-w", "-S"], ShellTimeout);
        var lines = rules.Split('\n');
        Assert.Single(lines, l => l == $"-A DOCKER-USER -i cc-+ -j {Chain}");
        foreach (var range in new[] { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16" })
        {
            Assert.Single(lines, l => l == $"-A {Chain} -d {range} -j DROP");
        }

        // The host reaches the listener: the address is live, so a failure below is the firewall's doing.
        Assert.Equal("hello-from-netns", await HostReadAsync());

        var tenant = await NewTenantAsync("egress", allowEgress: true);
        var server = Spec("srv", "bash", "-c", "trap 'exit 0' TERM; while :; do echo hello-from-neighbour | nc -l 8080; done & wait $!") with { Tenant = tenant };
        var client = Spec("cli") with { Tenant = tenant };
        await Platform.EnsureAsync(server, Timeout());
        await Platform.EnsureAsync(client, Timeout());

        var drops = await DropCountAsync("192.168.0.0/16");
        var blocked = await ConnectFromAsync(client.Id, Listener, Port);
        Assert.Equal("", blocked.Stdout);
        Assert.Equal(124, blocked.ExitCode); // dropped: no answer until the timeout
        Assert.True(await DropCountAsync("192.168.0.0/16") > drops, "the 192.168.0.0/16 drop rule counted the workload's packets");

        // Inside one tenant network nothing changes (the -o cc-+ return ahead of the drops).
        var neighbour = Assert.Single((await Platform.GetAsync(server.Id, Timeout()))!.Instances).Address!;
        var inside = await ConnectFromAsync(client.Id, neighbour, 8080, attempts: 20);
        Assert.Equal("hello-from-neighbour\n", inside.Stdout);

        // The allow-list (as run.sh passes CLASSCLOUD_EGRESS_ALLOW) opens exactly that address.
        await ApplyAsync(allow: Listener);
        var allowed = await ConnectFromAsync(client.Id, Listener, Port);
        Assert.Equal("hello-from-netns\n", allowed.Stdout);

        // Applying again without it closes it again: the chain is rewritten, not appended to.
        await ApplyAsync(allow: null);
        Assert.Equal(124, (await ConnectFromAsync(client.Id, Listener, Port)).ExitCode);
    }

    // Reads one line from the connection; several attempts when the peer may not listen yet.
    async Task<ExecResult> ConnectFromAsync(WorkloadId id, string address, int port, int attempts = 1)
    {
        var script = $"for i in $(seq 1 {attempts.ToString(CultureInfo.InvariantCulture)}); do " +
            $"exec 3<>/dev/tcp/{address}/{port.ToString(CultureInfo.InvariantCulture)} && head -n1 <&3 && exit 0; sleep 0.2; done; exit 1";
        return await RunAsync(id, "timeout", "3", "bash", "-c", script);
    }

    static async Task<string?> HostReadAsync()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Parse(Listener), Port, Timeout(5));
        using var reader = new StreamReader(tcp.GetStream());
        return await reader.ReadLineAsync(Timeout(5));
    }

    static async Task ApplyAsync(string? allow)
    {
        var (code, text) = await HostShell.RunAsync("bash", ["-c", ". scripts/lib.sh && isolate_workloads"], ShellTimeout,
            allow is null ? null : new Dictionary<string, string> { ["CLASSCLOUD_EGRESS_ALLOW"] = allow });
        Assert.True(code == 0, text);
    }

    static async Task<long> DropCountAsync(string range)
    {
        var (code, text) = await HostShell.RunAsync("iptables", ["-w", "-L", Chain, "-v", "-x", "-n"], ShellTimeout);
        Assert.Equal(0, code);
        var drop = text.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Single(f => f.Length > 8 && f[2] == "DROP" && f[8] == range);
        return long.Parse(drop[0], CultureInfo.InvariantCulture);
    }

    static async Task ShAsync(string command)
    {
        var (code, text) = await HostShell.RunAsync("bash", ["-c", command], ShellTimeout);
        Assert.True(code == 0, $"{command}: {text}");
    }

    static async Task RemoveNamespaceAsync() =>
        await HostShell.RunAsync("bash", ["-c", $"ip link del {HostSide} 2>/dev/null; ip netns del {Namespace} 2>/dev/null; true"], ShellTimeout);
}
