using System.Globalization;
using System.Text.RegularExpressions;
using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Workspaces;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Projects;

/// <summary>
/// The names of a project on the platform: its subdomain, its workload (<c>&lt;scope&gt;-app-&lt;id&gt;</c>), its
/// images (<c>&lt;registry&gt;/classcloud/app/&lt;owner&gt;/&lt;name&gt;:r&lt;n&gt;</c>) and its tenant network (the owner's).
/// </summary>
public sealed partial class ProjectNames(WorkspaceNames workspaces, IOptions<ProjectsOptions> options)
{
    public const string WorkloadKind = "app";
    public const string ImageKind = "app";
    public const string ProjectLabel = PlatformInfo.LabelPrefix + "project";

    /// <summary>Subdomains that look like the platform's own, or would mislead a visitor.</summary>
    static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "www", "api", "admin", "app", "apps", "auth", "login", "logout", "signin", "account", "accounts", "mail", "smtp",
        "static", "assets", "cdn", "status", "health", "metrics", "gateway", "registry", "docker", "console", "classcloud",
        "localhost", "dashboard", "help", "support", "security", "root", "system", "internal", "test",
    };

    public string Scope => workspaces.Scope;

    public RegistryOptions Registry => workspaces.Registry;

    /// <summary>Null when the name is fine, else why not (English; the caller localizes).</summary>
    public static string? Check(string? name) =>
        string.IsNullOrEmpty(name) ? "Give the project a name."
        : !NamePattern().IsMatch(name) ? "A project name is 3–40 lower-case letters, digits and '-', starting with a letter and not ending with '-'."
        : name.Contains("--", StringComparison.Ordinal) ? "A project name may not contain '--'."
        : Reserved.Contains(name) ? "This name is reserved; choose another."
        : null;

    public WorkloadId Workload(long projectId) => new($"{Scope}-app-{Invariant(projectId)}");

    /// <summary>The owner's tenant network, shared with their workspaces (apps of one owner may talk to each other).</summary>
    public string Tenant(long ownerId) => workspaces.Tenant(ownerId);

    public string Image(Project p, int revision)
    {
        var name = Scope == new ControllerOptions().Scope ? p.Name : $"{Scope}-{p.Name}";
        return ImageNames.Create(Registry.Address, ImageKind, Invariant(p.OwnerId), name, $"r{Invariant(revision)}").ToString();
    }

    public RegistryCredentials? CredentialsFor(string image) => workspaces.CredentialsFor(image);

    public string Host(string name) => $"{name}.{options.Value.AppsDomain}";

    public string Url(string name)
    {
        var o = options.Value;
        return $"{o.AppsScheme}://{Host(name)}{(o.AppsPort is { } port ? ":" + Invariant(port) : "")}/";
    }

    /// <summary>The project name in a Host header under the apps domain; null for any other host.</summary>
    public string? NameFromHost(string host)
    {
        var suffix = "." + options.Value.AppsDomain;
        if (!host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var name = host[..^suffix.Length].ToLowerInvariant();
        return name.Contains('.', StringComparison.Ordinal) || name.Length == 0 ? null : name;
    }

    public string BaseImage(string template)
    {
        var o = options.Value;
        var configured = template switch
        {
            Templates.Static => o.StaticImage,
            Templates.Python => o.PythonImage,
            Templates.Node => o.NodeImage,
            _ => null,
        };
        return configured ?? ImageNames.System(Registry.Address, "app-" + template, "latest").ToString();
    }

    static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$")]
    private static partial Regex NamePattern();
}
