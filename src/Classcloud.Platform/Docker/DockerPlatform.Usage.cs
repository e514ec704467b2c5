namespace Classcloud.Platform.Docker;

internal sealed partial class DockerPlatform
{
    /// <summary>
    /// Volume sizes from <c>GET /system/df</c>, the only place the engine reports them. It walks every volume on the
    /// disk (and sizes images and containers too on API 1.41), so callers ask for it on demand, never in a loop.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> VolumeSizesAsync(CancellationToken ct)
    {
        // Newer engines (API 1.42+) honour type=volume and skip the rest; older ones ignore the parameter.
        var usage = await docker.GetJsonAsync(Query("system/df", ("type", "volume")), DockerJson.Default.DiskUsage, ct);
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var volume in usage.Volumes ?? [])
        {
            if (volume.Labels?.ContainsKey(PlatformInfo.ManagedLabel) == true && volume.UsageData is { Size: >= 0 } data)
            {
                sizes[volume.Name] = data.Size;
            }
        }
        return sizes;
    }
}
