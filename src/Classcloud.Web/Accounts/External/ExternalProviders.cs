using Microsoft.Extensions.Options;

namespace Classcloud.Web.Accounts.External;

/// <summary>A configured provider: its preset filled in with the configured values and overrides.</summary>
public sealed record ExternalProvider(
    string Name, string DisplayName, string AuthorizationEndpoint, string TokenEndpoint, string UserInformationEndpoint,
    IReadOnlyList<string> Scopes, bool UsePkce, ProfileReader Read, ExternalProviderOptions Options, string? Authority = null)
{
    /// <summary>The scheme name, also stored as LoginProvider in AspNetUserLogins: keep it stable.</summary>
    public string Scheme => Name;

    /// <summary>Where the provider sends the browser back; the OAuth handler answers it.</summary>
    public string CallbackPath => $"/signin/external/{Name.ToLowerInvariant()}/return";

    public string StartPath => $"/signin/external/{Name.ToLowerInvariant()}";

    /// <summary>Signs in with the OpenID Connect handler (discovery, a signed id_token) rather than plain OAuth.</summary>
    public bool IsOpenIdConnect => Authority is not null;
}

/// <summary>
/// The providers offered on this install, resolved lazily from options (so configuration set by a
/// test host or an environment variable is seen), in a stable order: presets first.
/// </summary>
public sealed class ExternalProviders(IOptions<ExternalSignInOptions> options)
{
    readonly Lazy<IReadOnlyList<ExternalProvider>> all = new(() => Resolve(options.Value));

    public IReadOnlyList<ExternalProvider> All => all.Value;

    public ExternalProvider? Find(string? name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    static List<ExternalProvider> Resolve(ExternalSignInOptions options)
    {
        var providers = new List<ExternalProvider>();
        foreach (var o in options.Providers.Where(p => !string.IsNullOrWhiteSpace(p.ClientId) && !string.IsNullOrWhiteSpace(p.ClientSecret)))
        {
            var preset = ExternalPresets.Find(o.Key);
            var scope = !string.IsNullOrWhiteSpace(o.Scope) ? o.Scope : preset?.Scope ?? "openid email profile";
            var authority = preset is null && !string.IsNullOrWhiteSpace(o.Authority) ? o.Authority.Trim() : null;
            providers.Add(new ExternalProvider(
                Name: preset?.Name ?? o.Key,
                DisplayName: !string.IsNullOrWhiteSpace(o.DisplayName) ? o.DisplayName.Trim() : preset?.DisplayName ?? o.Key,
                AuthorizationEndpoint: Pick(o.AuthorizationEndpoint, preset?.AuthorizationEndpoint),
                TokenEndpoint: Pick(o.TokenEndpoint, preset?.TokenEndpoint),
                UserInformationEndpoint: Pick(o.UserInformationEndpoint, preset?.UserInformationEndpoint),
                Scopes: scope.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                UsePkce: o.UsePkce ?? preset?.UsePkce ?? authority is not null,
                Read: preset?.Read ?? ExternalPresets.ReadConfiguredAsync,
                Options: o,
                Authority: authority));
        }
        return [.. providers.OrderBy(p => ExternalPresets.Find(p.Name) is { } preset ? ExternalPresets.All.ToList().IndexOf(preset) : int.MaxValue)
            .ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
    }

    // The validator has already required every endpoint of a provider that is not a preset.
    static string Pick(string? configured, string? preset) => !string.IsNullOrWhiteSpace(configured) ? configured.Trim() : preset ?? "";
}
