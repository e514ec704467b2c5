namespace Classcloud.Web.Hosting;

/// <summary>
/// Maps the two variables the README promises (CLASSCLOUD_DATA, CLASSCLOUD_URLS) onto configuration
/// keys, below any explicit Classcloud__* variable or command-line value.
/// </summary>
internal static class EnvironmentConfiguration
{
    public static void AddClasscloudEnvironment(this ConfigurationManager configuration)
    {
        var map = new Dictionary<string, string?>();
        if (Environment.GetEnvironmentVariable("CLASSCLOUD_DATA") is { Length: > 0 } data && configuration["Classcloud:DataDirectory"] is null)
        {
            map["Classcloud:DataDirectory"] = data;
        }
        if (Environment.GetEnvironmentVariable("CLASSCLOUD_URLS") is { Length: > 0 } urls && configuration["urls"] is null)
        {
            map["urls"] = urls;
        }
        if (map.Count > 0)
        {
            configuration.AddInMemoryCollection(map);
        }
    }
}
