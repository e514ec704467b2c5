using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Classcloud.Platform.Docker;

/// <summary>
/// <see cref="IContainerPlatform"/> on the Docker Engine: a workload is one container per replica
/// named <c>{id}-{replica}</c>, labelled <c>classcloud.io/*</c>; a tenant is a bridge network
/// <c>classcloud-{tenant}</c> on which each workload answers to its id.
/// </summary>
internal sealed partial class DockerPlatform(DockerClient docker, WorkloadDefaults defaults, TimeProvider time, ILogger<DockerPlatform> logger)
    : IContainerPlatform, IDisposable
{
    public void Dispose() => docker.Dispose();

    public PlatformFeatures Features => PlatformFeatures.All;

    public async Task<EngineInfo> GetEngineInfoAsync(CancellationToken ct)
    {
        var info = await docker.GetJsonAsync("info", DockerJson.Default.SystemInfo, ct);
        var details = new Dictionary<string, string>
        {
            ["endpoint"] = docker.Endpoint,
            ["cgroupVersion"] = info.CgroupVersion ?? "",
            ["cgroupDriver"] = info.CgroupDriver ?? "",
            ["storageDriver"] = info.Driver ?? "",
            ["kernel"] = info.KernelVersion ?? "",
            ["os"] = info.OperatingSystem ?? "",
            ["dataRoot"] = info.DockerRootDir ?? "",
        };
        return new EngineInfo(PlatformInfo.DockerDriver, info.ServerVersion, DockerClient.ApiVersion, info.NCPU, info.MemTotal, info.ContainersRunning, details);
    }

    /// <summary>Builds <c>path?k=v&amp;…</c>, escaping values and skipping nulls.</summary>
    static string Query(string path, params (string Key, string? Value)[] parameters)
    {
        var query = new StringBuilder(path);
        var separator = '?';
        foreach (var (key, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }
            query.Append(separator).Append(key).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return query.ToString();
    }

    /// <summary>The engine's filter argument: <c>{"label":["k=v",…]}</c> with our managed label always included.</summary>
    static string LabelFilter(IEnumerable<KeyValuePair<string, string>> labels, string? type = null)
    {
        var filters = new Dictionary<string, List<string>>
        {
            ["label"] = [$"{PlatformInfo.ManagedLabel}=true", .. labels.Select(l => $"{l.Key}={l.Value}")],
        };
        if (type is not null)
        {
            filters["type"] = [type];
        }
        return JsonSerializer.Serialize(filters, DockerJson.Default.DictionaryStringListString);
    }

    static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Docker writes "0001-01-01T00:00:00Z" for times that never happened.</summary>
    static DateTimeOffset? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1 ? t : null;

    static Dictionary<string, string> WithoutManagedLabel(IReadOnlyDictionary<string, string> labels) =>
        labels.Where(l => l.Key != PlatformInfo.ManagedLabel).ToDictionary();
}
