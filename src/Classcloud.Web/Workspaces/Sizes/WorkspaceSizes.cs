using System.Globalization;
using System.Security.Claims;
using Classcloud.Platform;
using Classcloud.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces.Sizes;

/// <summary>
/// One size an administrator offers (Classcloud:Workspaces:Sizes): the CPU and memory ceilings of a workspace made
/// with it, and who may pick it (<see cref="Roles"/> empty: everyone; administrators pick any).
/// </summary>
public sealed class WorkspaceSizeOptions
{
    public string Name { get; set; } = "";

    public double Cpus { get; set; }

    public long MemoryBytes { get; set; }

    /// <summary>Account roles that may pick it ("student", "educator"); empty: every role.</summary>
    public List<string> Roles { get; set; } = [];
}

/// <summary>A size as the create page and <c>GET /api/v1/workspace-sizes</c> show it.</summary>
public sealed record WorkspaceSizeDto(string Name, double Cpus, long MemoryBytes, bool IsDefault);

/// <summary>
/// The sizes a workspace is made in (issue 17: "sizes the administrator offers, chosen at create, within the user's
/// quota"). Without configured sizes there are two: <c>small</c> (half the ceilings) and <c>standard</c> (the
/// configured <see cref="WorkspacesOptions.Cpus"/> and <see cref="WorkspacesOptions.MemoryBytes"/>, what every
/// workspace got before sizes). The first size a person may pick named <c>standard</c>, else the first one, is the
/// default. A size sets ceilings only: admission counts each running workspace's guaranteed share
/// (<see cref="WorkspacesOptions.CpuRequest"/>), whatever its size, so a large size never jumps the queue.
/// </summary>
public sealed class WorkspaceSizes(IOptions<WorkspacesOptions> options)
{
    public const string Standard = "standard";

    /// <summary>Every size offered, in the configured order.</summary>
    public IReadOnlyList<WorkspaceSizeOptions> All
    {
        get
        {
            var o = options.Value;
            return o.Sizes.Count > 0 ? o.Sizes :
            [
                new WorkspaceSizeOptions { Name = "small", Cpus = o.Cpus / 2, MemoryBytes = Math.Max(o.MemoryRequestBytes, o.MemoryBytes / 2) },
                new WorkspaceSizeOptions { Name = Standard, Cpus = o.Cpus, MemoryBytes = o.MemoryBytes },
            ];
        }
    }

    /// <summary>The sizes a person of <paramref name="role"/> may pick, the default marked.</summary>
    public IReadOnlyList<WorkspaceSizeDto> For(AccountRole role)
    {
        var word = role.ToString().ToLowerInvariant();
        var mine = All.Where(s => role == AccountRole.Admin || s.Roles.Count == 0 || s.Roles.Contains(word, StringComparer.OrdinalIgnoreCase)).ToList();
        var chosen = mine.FirstOrDefault(s => s.Name == Standard) ?? mine.FirstOrDefault();
        return [.. mine.Select(s => new WorkspaceSizeDto(s.Name, s.Cpus, s.MemoryBytes, s == chosen))];
    }

    /// <summary>The size a create asks for: null or empty means the default; a size the person may not pick is null.</summary>
    public WorkspaceSizeDto? Pick(AccountRole role, string? name)
    {
        var mine = For(role);
        return string.IsNullOrWhiteSpace(name) ? mine.FirstOrDefault(s => s.IsDefault) : mine.FirstOrDefault(s => string.Equals(s.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The ceilings of a workspace made in <paramref name="size"/> (null, or a size since removed from the
    /// configuration: the standard ceilings).
    /// </summary>
    public WorkloadResources Resources(string? size)
    {
        var o = options.Value;
        var s = size is null ? null : All.FirstOrDefault(x => x.Name == size);
        var cpus = s?.Cpus ?? o.Cpus;
        var memory = s?.MemoryBytes ?? o.MemoryBytes;
        // The guaranteed share never exceeds the ceiling (a tiny size would otherwise ask for more than it may use).
        return new WorkloadResources(cpus, memory, o.Pids, Math.Min(o.CpuRequest, cpus), Math.Min(o.MemoryRequestBytes, memory));
    }

    /// <summary>"1 CPU · 1 GiB", for the create page.</summary>
    public static string Describe(WorkspaceSizeDto s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Cpus:0.##} CPU · {(s.MemoryBytes >= 1L << 30 ? $"{s.MemoryBytes / (double)(1L << 30):0.##} GiB" : $"{s.MemoryBytes >> 20} MiB")}");

    /// <summary>Startup check of configured sizes: named, positive and unique.</summary>
    public static IEnumerable<string> Problems(WorkspacesOptions o)
    {
        foreach (var s in o.Sizes)
        {
            if (string.IsNullOrWhiteSpace(s.Name) || s.Name.Any(c => char.IsUpper(c) || char.IsWhiteSpace(c)) || s.Cpus <= 0 || s.MemoryBytes < 16L * 1024 * 1024)
            {
                yield return $"{WorkspacesOptions.Section}:Sizes: '{s.Name}' needs a lowercase name, Cpus above 0 and MemoryBytes of at least 16 MiB.";
            }
        }
        if (o.Sizes.GroupBy(s => s.Name).Any(g => g.Count() > 1))
        {
            yield return $"{WorkspacesOptions.Section}:Sizes: names must be unique.";
        }
    }
}

/// <summary>GET /api/v1/workspace-sizes: any signed-in person (the list is theirs: the sizes they may pick).</summary>
public static class WorkspaceSizeEndpoints
{
    public static void MapWorkspaceSizeApi(this WebApplication app) =>
        app.MapGet("/api/v1/workspace-sizes", (ClaimsPrincipal user, WorkspaceSizes sizes) => TypedResults.Ok(sizes.For(RoleOf(user))))
            .RequireAuthorization().WithTags("Workspaces");

    /// <summary>The account role a signed-in principal carries.</summary>
    public static AccountRole RoleOf(ClaimsPrincipal user) =>
        user.IsAdmin() ? AccountRole.Admin : user.IsInRole("educator") ? AccountRole.Educator : AccountRole.Student;
}
