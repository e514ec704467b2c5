using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Microsoft.AspNetCore.DataProtection;

namespace Classcloud.Web.Tests.Orchestration;

/// <summary>Issue 15: a workload row's secrets (a desktop's VNC password) go to the platform as secrets, not as plain environment.</summary>
public sealed class WorkloadSecretTests
{
    [Fact]
    public void Secrets_become_the_specs_secret_environment_and_only_their_digest_is_stored()
    {
        var protector = new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider().CreateProtector(WorkloadDefinition.SecretPurpose);
        var definition = new WorkloadDefinition
        {
            Image = "127.0.0.1:5000/classcloud/desktop:1",
            Environment = new() { ["LANG"] = "ko_KR.UTF-8" },
            SecretEnvironment = new() { ["CLASSCLOUD_VNC_PASSWORD"] = protector.Protect("s3cret-vnc") },
        };
        var spec = definition.ToSpec(new Workload { Id = "ws-7", Kind = "workspace" }, "test", protector);

        Assert.Equal("ko_KR.UTF-8", spec.Environment["LANG"]);
        Assert.False(spec.Environment.ContainsKey("CLASSCLOUD_VNC_PASSWORD"));
        Assert.Equal("s3cret-vnc", spec.SecretEnvironment["CLASSCLOUD_VNC_PASSWORD"]);
        var stored = System.Text.Json.JsonSerializer.Serialize(WorkloadSecrets.Redact(spec));
        Assert.DoesNotContain("s3cret-vnc", stored, StringComparison.Ordinal);
        Assert.NotEqual(WorkloadSecrets.Redact(spec).SecretEnvironment["CLASSCLOUD_VNC_PASSWORD"],
            WorkloadSecrets.Redact(spec with { SecretEnvironment = new Dictionary<string, string> { ["CLASSCLOUD_VNC_PASSWORD"] = "other" } }).SecretEnvironment["CLASSCLOUD_VNC_PASSWORD"]);
    }
}
