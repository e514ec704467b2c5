using System.Net.Http.Headers;
using System.Text.Json;

namespace Classcloud.Web.Accounts.External;

/// <summary>Who the provider says signed in. EmailVerified decides whether we may trust the address.</summary>
public sealed record ExternalProfile(string Key, string? Email, bool EmailVerified, string? Name);

/// <summary>Fetches more JSON from the provider with the user's access token (GitHub's /user/emails).</summary>
public sealed class ProviderApi(HttpClient backchannel, string accessToken)
{
    public async Task<JsonElement?> GetJsonAsync(string url, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await backchannel.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
        return document.RootElement.Clone();
    }
}

/// <summary>Reads a profile from the user-info answer; null when it lacks the user's id.</summary>
public delegate Task<ExternalProfile?> ProfileReader(JsonElement user, ExternalProvider provider, ProviderApi api, CancellationToken ct);

/// <summary>What Classcloud knows about a well-known provider: endpoints, scopes and its user-info shape.</summary>
public sealed record ExternalPreset(
    string Name, string DisplayName, string AuthorizationEndpoint, string TokenEndpoint, string UserInformationEndpoint,
    string Scope, bool UsePkce, ProfileReader Read);

public static class ExternalPresets
{
    public static readonly ExternalPreset Google = new("Google", "Google",
        "https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token",
        "https://openidconnect.googleapis.com/v1/userinfo", "openid email profile", UsePkce: true,
        (user, _, _, _) => Task.FromResult(Profile(Json.Text(user, "sub"), Json.Text(user, "email"), Json.IsTrue(user, "email_verified"), Json.Text(user, "name"))));

    // Naver only hands out addresses its users have verified (developers.naver.com, 네이버 로그인 API).
    public static readonly ExternalPreset Naver = new("Naver", "Naver",
        "https://nid.naver.com/oauth2.0/authorize", "https://nid.naver.com/oauth2.0/token",
        "https://openapi.naver.com/v1/nid/me", "", UsePkce: false,
        (user, _, _, _) => Task.FromResult(Profile(Json.Text(user, "response.id"), Json.Text(user, "response.email"), true, Json.Text(user, "response.name"))));

    public static readonly ExternalPreset GitHub = new("GitHub", "GitHub",
        "https://github.com/login/oauth/authorize", "https://github.com/login/oauth/access_token",
        "https://api.github.com/user", "read:user user:email", UsePkce: false, ReadGitHubAsync);

    public static IReadOnlyList<ExternalPreset> All { get; } = [Google, Naver, GitHub];

    public static ExternalPreset? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A provider of its own: the configured JSON paths (OpenID Connect claim names by default).</summary>
    public static Task<ExternalProfile?> ReadConfiguredAsync(JsonElement user, ExternalProvider provider, ProviderApi api, CancellationToken ct)
    {
        var o = provider.Options;
        return Task.FromResult(Profile(Json.Text(user, o.IdField), Json.Text(user, o.EmailField), Json.IsTrue(user, o.EmailVerifiedField), Json.Text(user, o.NameField)));
    }

    /// <summary>
    /// GitHub's profile e-mail is optional and carries no verified flag; /user/emails (next to the
    /// user-info endpoint, so an override moves both) says which addresses are verified.
    /// </summary>
    static async Task<ExternalProfile?> ReadGitHubAsync(JsonElement user, ExternalProvider provider, ProviderApi api, CancellationToken ct)
    {
        var email = Json.Text(user, "email");
        var verified = false;
        var emails = await api.GetJsonAsync(provider.UserInformationEndpoint.TrimEnd('/') + "/emails", ct);
        if (emails is { ValueKind: JsonValueKind.Array } list)
        {
            var entries = list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList();
            var match = entries.FirstOrDefault(e => email is not null && string.Equals(Json.Text(e, "email"), email, StringComparison.OrdinalIgnoreCase));
            if (match.ValueKind == JsonValueKind.Object)
            {
                verified = Json.IsTrue(match, "verified");
            }
            else if (email is null)
            {
                var primary = entries.FirstOrDefault(e => Json.IsTrue(e, "primary") && Json.IsTrue(e, "verified"));
                if (primary.ValueKind == JsonValueKind.Object)
                {
                    email = Json.Text(primary, "email");
                    verified = true;
                }
            }
        }
        return Profile(Json.Text(user, "id"), email, verified, Json.Text(user, "name") ?? Json.Text(user, "login"));
    }

    static ExternalProfile? Profile(string? key, string? email, bool verified, string? name) =>
        string.IsNullOrWhiteSpace(key) ? null
            : new ExternalProfile(key, string.IsNullOrWhiteSpace(email) ? null : email.Trim(), verified && !string.IsNullOrWhiteSpace(email), name?.Trim());
}

/// <summary>Dotted-path reads of provider JSON, tolerant of numbers and of "true" sent as a string.</summary>
internal static class Json
{
    public static string? Text(JsonElement element, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return null;
            }
        }
        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            _ => null,
        };
    }

    public static bool IsTrue(JsonElement element, string path) =>
        string.Equals(Text(element, path), "true", StringComparison.OrdinalIgnoreCase);
}
