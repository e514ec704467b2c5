using System.Text.Json;
using Classcloud.Platform;
using Microsoft.AspNetCore.DataProtection;

namespace Classcloud.Web.Orchestration;

/// <summary>
/// What a <see cref="Workload"/> row asks for (its SpecJson). The reconciler turns it into a
/// <see cref="WorkloadSpec"/> with the controller's own labels and no engine restart policy:
/// restarts are the reconciler's, with its backoff and crash-loop detection.
/// </summary>
public sealed record WorkloadDefinition
{
    public required string Image { get; init; }
    public IReadOnlyList<string>? Command { get; init; }
    public Dictionary<string, string> Environment { get; init; } = [];
    /// <summary>
    /// Environment values stored encrypted with ASP.NET Data Protection (purpose <see cref="SecretPurpose"/>),
    /// so passwords (e.g. a desktop's VNC password) are not readable in the database.
    /// </summary>
    public Dictionary<string, string> SecretEnvironment { get; init; } = [];
    public WorkloadResources Resources { get; init; } = new();
    public int Replicas { get; init; } = 1;
    public IReadOnlyList<VolumeMount> Volumes { get; init; } = [];
    public Dictionary<string, string> Labels { get; init; } = [];

    /// <summary>Read-only host directories (Docker only; null for nearly every workload, and then left out of the JSON).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<HostDirectoryMount>? HostDirectories { get; init; }

    /// <summary>
    /// The kind label when it is not the row's kind, and then no owner label: a workload made before it had its
    /// final kind and owner (a warm-pool workspace) keeps the labels it was created with, because Docker cannot
    /// change a container's labels and any label change would make the driver replace the container.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? KindLabel { get; init; }

    public const string SecretPurpose = "Classcloud.Workload.Secrets";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static WorkloadDefinition FromJson(string json) =>
        JsonSerializer.Deserialize<WorkloadDefinition>(json, Json) ?? throw new JsonException("The workload spec is empty.");

    /// <summary>The platform spec; labels sorted so the same row always gives the same spec (and spec hash).</summary>
    public WorkloadSpec ToSpec(Workload row, string scope, IDataProtector? secrets = null)
    {
        var environment = new SortedDictionary<string, string>(Environment, StringComparer.Ordinal);
        // Secrets go to the platform as secrets: the process gets them, stored and shown specs only digests.
        var secretEnvironment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in SecretEnvironment)
        {
            secretEnvironment[key] = (secrets ?? throw new ArgumentException($"Workload {row.Id} has secrets but no protector was given.", nameof(secrets)))
                .Unprotect(value);
            environment.Remove(key);
        }
        var labels = new SortedDictionary<string, string>(Labels, StringComparer.Ordinal)
        {
            [ControllerLabels.Scope] = scope,
            [ControllerLabels.Kind] = KindLabel ?? row.Kind,
        };
        if (row.OwnerId is { } owner && KindLabel is null)
        {
            labels[ControllerLabels.Owner] = owner.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return new WorkloadSpec
        {
            Id = new WorkloadId(row.Id),
            Image = Image,
            Command = Command,
            Environment = environment,
            SecretEnvironment = secretEnvironment,
            Resources = Resources,
            Replicas = Replicas,
            Tenant = row.Tenant,
            Volumes = Volumes,
            HostDirectories = HostDirectories,
            Labels = labels,
            RestartPolicy = RestartPolicy.Never,
        };
    }
}

/// <summary>Labels the controller adds to what it creates (besides the driver's managed/workload/replica/tenant).</summary>
public static class ControllerLabels
{
    /// <summary>Which installation's controller owns the workload; orphans are removed only within it.</summary>
    public const string Scope = PlatformInfo.LabelPrefix + "controller";
    public const string Kind = PlatformInfo.LabelPrefix + "kind";
    public const string Owner = PlatformInfo.LabelPrefix + "owner";
}
