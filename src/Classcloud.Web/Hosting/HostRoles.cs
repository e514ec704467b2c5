namespace Classcloud.Web.Hosting;

/// <summary>
/// The roles this process plays (DESIGN.md §2): web pages and API, the gateway, the controller.
/// `--roles web,gateway,controller` on the command line; all three by default.
/// </summary>
public sealed record HostRoles(bool Web, bool Gateway, bool Controller)
{
    public static readonly string[] Known = ["web", "gateway", "controller"];

    public static HostRoles All { get; } = new(true, true, true);

    /// <summary>Parses a comma-separated list; returns an error naming the bad value instead of throwing.</summary>
    public static (HostRoles? Roles, string? Error) Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (All, null);
        }
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant()).ToArray();
        var unknown = names.Where(n => !Known.Contains(n)).ToArray();
        if (unknown.Length > 0 || names.Length == 0)
        {
            return (null, $"roles: unknown role '{string.Join(",", unknown)}'; use a comma-separated list of {string.Join(", ", Known)}.");
        }
        return (new HostRoles(names.Contains("web"), names.Contains("gateway"), names.Contains("controller")), null);
    }

    public override string ToString() =>
        string.Join(",", new[] { Web ? "web" : null, Gateway ? "gateway" : null, Controller ? "controller" : null }.OfType<string>());
}

public static class HostRolesExtensions
{
    /// <summary>The roles given on the command line (an invalid list is reported by ValidateConfiguration).</summary>
    public static HostRoles Roles(this WebApplicationBuilder builder) =>
        HostRoles.Parse(builder.Configuration["roles"]).Roles ?? HostRoles.All;

    public static HostRoles Roles(this WebApplication app) => app.Services.GetRequiredService<HostRoles>();
}
