using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Accounts.External;

/// <summary>
/// Classcloud:Auth:OAuth:&lt;Provider&gt;. A preset (Google, Naver, GitHub) needs only ClientId and
/// ClientSecret; any other name is a provider of its own and needs either its OpenID Connect issuer
/// (Authority, whose discovery document says the rest) or every OAuth endpoint.
/// </summary>
public sealed class ExternalProviderOptions
{
    /// <summary>The configuration key, as written (e.g. "GitHub" or "github").</summary>
    public string Key { get; set; } = "";
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? DisplayName { get; set; }
    /// <summary>An OpenID Connect issuer URL: signs in with the OpenID Connect handler, endpoints and keys from its discovery document.</summary>
    public string? Authority { get; set; }
    public string? AuthorizationEndpoint { get; set; }
    public string? TokenEndpoint { get; set; }
    public string? UserInformationEndpoint { get; set; }
    /// <summary>Space-separated scopes; empty keeps the preset's.</summary>
    public string? Scope { get; set; }
    public bool? UsePkce { get; set; }
    /// <summary>
    /// For a provider of its own: dotted JSON paths in its user-info answer (OpenID Connect names by
    /// default); for an OpenID Connect provider, claim names in its id_token or user-info answer.
    /// </summary>
    public string IdField { get; set; } = "sub";
    public string EmailField { get; set; } = "email";
    public string EmailVerifiedField { get; set; } = "email_verified";
    public string NameField { get; set; } = "name";
}

/// <summary>Every provider section found under Classcloud:Auth:OAuth, configured or not.</summary>
public sealed class ExternalSignInOptions
{
    public const string Section = "Classcloud:Auth:OAuth";

    public List<ExternalProviderOptions> Providers { get; } = [];

    /// <summary>Binds each child section by hand: the provider names are the keys, not properties.</summary>
    internal static void Bind(ExternalSignInOptions options, IConfiguration configuration)
    {
        foreach (var child in configuration.GetSection(Section).GetChildren())
        {
            var provider = new ExternalProviderOptions();
            child.Bind(provider);
            provider.Key = child.Key;
            options.Providers.Add(provider);
        }
    }
}

internal sealed partial class ExternalSignInOptionsValidator : IValidateOptions<ExternalSignInOptions>
{
    // Provider names become URL segments and authentication scheme names.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,31}$")]
    private static partial Regex NamePattern();

    static readonly string[] Reserved = ["callback", "classcloud", "pat"];

    public ValidateOptionsResult Validate(string? name, ExternalSignInOptions options)
    {
        var failures = new List<string>();
        foreach (var p in options.Providers)
        {
            var key = $"{ExternalSignInOptions.Section}:{p.Key}";
            var preset = ExternalPresets.Find(p.Key);
            if (!NamePattern().IsMatch(p.Key) || Reserved.Contains(p.Key, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{key}: the provider name must be letters, digits, '-' or '_' (at most 32, starting with a letter), and not one of {string.Join(", ", Reserved)}.");
                continue;
            }
            var hasId = !string.IsNullOrWhiteSpace(p.ClientId);
            var hasSecret = !string.IsNullOrWhiteSpace(p.ClientSecret);
            if (preset is not null && !hasId && !hasSecret)
            {
                continue;  // a preset left empty is simply not offered
            }
            if (!hasId)
            {
                failures.Add($"{key}:ClientId is required when {key} is configured.");
            }
            if (!hasSecret)
            {
                failures.Add($"{key}:ClientSecret is required when {key} is configured.");
            }
            if (!string.IsNullOrWhiteSpace(p.Authority))
            {
                CheckAuthority(failures, key, p.Authority, preset);
            }
            else
            {
                CheckUrl(failures, $"{key}:AuthorizationEndpoint", p.AuthorizationEndpoint, required: preset is null);
                CheckUrl(failures, $"{key}:TokenEndpoint", p.TokenEndpoint, required: preset is null);
                CheckUrl(failures, $"{key}:UserInformationEndpoint", p.UserInformationEndpoint, required: preset is null);
            }
            if (preset is null && (string.IsNullOrWhiteSpace(p.IdField) || string.IsNullOrWhiteSpace(p.EmailField)))
            {
                failures.Add($"{key}:IdField and {key}:EmailField must not be empty.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The issuer's keys come from its discovery document, so that document must not be open to tampering on the way.</summary>
    static void CheckAuthority(List<string> failures, string key, string authority, ExternalPreset? preset)
    {
        if (preset is not null)
        {
            failures.Add($"{key}:Authority is for a provider of its own; configure the OpenID Connect provider under another name (e.g. {preset.Name}Oidc).");
        }
        else if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || !(uri.Scheme == "https" || (uri.Scheme == "http" && uri.IsLoopback)))
        {
            failures.Add($"{key}:Authority must be an absolute https URL (http only on this machine) (got '{authority}').");
        }
    }

    static void CheckUrl(List<string> failures, string key, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                failures.Add($"{key} is required for a provider that is not a preset (Google, Naver, GitHub) and has no Authority.");
            }
            return;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            failures.Add($"{key} must be an absolute http(s) URL (got '{value}').");
        }
    }
}
