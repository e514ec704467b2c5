namespace Classcloud.Platform;

/// <summary>
/// The container platform library (workloads, exec, images) lands here with the container-platform
/// issue; it has no ASP.NET dependency so the controller and the CLI can share it.
/// </summary>
public static class PlatformInfo
{
    /// <summary>Label prefix on everything Classcloud creates in a container platform.</summary>
    public const string LabelPrefix = "classcloud.io/";
}
