using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests;

/// <summary>
/// Issue 15: a workload's secrets (a desktop's VNC password) reach its process but not the spec the driver
/// stores in the container's labels and reports back; a changed secret still replaces the container.
/// Checked on a real container with `docker inspect`, as anyone who can list containers would read it.
/// </summary>
public sealed class SecretTests(EngineFixture engine, ITestOutputHelper output) : EngineTest(engine, output)
{
    static async Task<(string Id, string Labels, string Env)> InspectAsync(WorkloadId id, int replica = 0)
    {
        var (code, text) = await HostShell.RunAsync("docker",
            ["inspect", "-f", "{{.Id}}|{{json .Config.Labels}}|{{json .Config.Env}}", $"{id.Value}-{replica}"], TimeSpan.FromSeconds(30));
        Assert.True(code == 0, text);
        var parts = text.Trim().Split('|', 3);
        return (parts[0], parts[1], parts[2]);
    }

    [Fact]
    public async Task A_secret_is_in_the_process_environment_but_never_in_the_labels_or_the_reported_spec()
    {
        var secret = "vnc-" + Guid.NewGuid().ToString("N")[..8];
        var spec = Spec("secret") with
        {
            Environment = new Dictionary<string, string> { ["PLAIN"] = "visible" },
            SecretEnvironment = new Dictionary<string, string> { ["CLASSCLOUD_VNC_PASSWORD"] = secret },
        };
        var status = await Platform.EnsureAsync(spec, Timeout());

        var (id, labels, env) = await InspectAsync(spec.Id);
        Assert.Contains($"CLASSCLOUD_VNC_PASSWORD={secret}", env, StringComparison.Ordinal);
        Assert.Contains("classcloud.io/spec", labels, StringComparison.Ordinal);
        Assert.Contains("visible", labels, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, labels, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, System.Text.Json.JsonSerializer.Serialize(status.Spec), StringComparison.Ordinal);
        Assert.StartsWith(WorkloadSecrets.DigestPrefix, status.Spec!.SecretEnvironment["CLASSCLOUD_VNC_PASSWORD"], StringComparison.Ordinal);
        var echoed = await RunAsync(spec.Id, "sh", "-c", "printf %s \"$CLASSCLOUD_VNC_PASSWORD\"");
        Assert.Equal(secret, echoed.Stdout);

        // The same secret again: nothing to do. Scaling up: the new replica gets the secret too.
        await Platform.EnsureAsync(spec, Timeout());
        Assert.Equal(id, (await InspectAsync(spec.Id)).Id);
        await Platform.ScaleAsync(spec.Id, 2, Timeout());
        Assert.Contains($"CLASSCLOUD_VNC_PASSWORD={secret}", (await InspectAsync(spec.Id, replica: 1)).Env, StringComparison.Ordinal);
        await Platform.ScaleAsync(spec.Id, 1, Timeout());

        // A new secret replaces the container, which then holds the new value.
        var changed = spec with { SecretEnvironment = new Dictionary<string, string> { ["CLASSCLOUD_VNC_PASSWORD"] = secret + "x" } };
        await Platform.EnsureAsync(changed, Timeout());
        var (replaced, replacedLabels, replacedEnv) = await InspectAsync(spec.Id);
        Assert.NotEqual(id, replaced);
        Assert.Contains($"CLASSCLOUD_VNC_PASSWORD={secret}x", replacedEnv, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, replacedLabels, StringComparison.Ordinal);
    }
}
