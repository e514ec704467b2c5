using System.Net.Http.Headers;
using System.Text.Json;

namespace Classcloud.Platform.Registry;

public sealed partial class RegistryClient
{
    /// <summary>
    /// Reads the 401's <c>WWW-Authenticate</c>: Basic means "send the user and password"; Bearer names a
    /// token realm, service and scope to ask for a token (with the user and password when configured).
    /// Returns whether a retry can succeed.
    /// </summary>
    async Task<bool> AnswerChallengeAsync(HttpResponseMessage response, string scope, CancellationToken ct)
    {
        var challenge = response.Headers.WwwAuthenticate.FirstOrDefault();
        if (challenge is null)
        {
            return false;
        }
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            var first = !basic;
            basic = true;
            return first && options.Username is { Length: > 0 };
        }
        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var parameters = ParseParameters(challenge.Parameter ?? "");
        if (!parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            return false;
        }
        var query = new List<string>();
        if (parameters.TryGetValue("service", out var service))
        {
            query.Add($"service={Uri.EscapeDataString(service)}");
        }
        // A request that needs two repositories (a cross-repository mount) asks for both scopes,
        // space-separated in the challenge; the token service takes each as its own parameter.
        foreach (var wanted in parameters.GetValueOrDefault("scope", scope).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            query.Add($"scope={Uri.EscapeDataString(wanted)}");
        }
        var tokenUrl = new UriBuilder(realmUri) { Query = string.Join('&', query) }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, tokenUrl);
        if (options.Username is { Length: > 0 })
        {
            request.Headers.Authorization = BasicHeader();
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.RequestTimeout);
        HttpResponseMessage answer;
        try
        {
            answer = await http.SendAsync(request, timeout.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new PlatformUnavailableException($"The registry's token service {realmUri.Host} cannot be reached: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new PlatformUnavailableException($"The registry's token service {realmUri.Host} did not answer in time.", ex);
        }
        using (answer)
        {
            if (!answer.IsSuccessStatusCode)
            {
                return false;
            }
            using var json = await ReadJsonAsync(answer, ct);
            var root = json.RootElement;
            var token = root.TryGetProperty("token", out var t) ? t.GetString()
                : root.TryGetProperty("access_token", out var a) ? a.GetString() : null;
            if (token is not { Length: > 0 })
            {
                return false;
            }
            // Tokens live 60 s unless the service says otherwise; renew a little early.
            var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 60;
            lock (gate)
            {
                tokens[scope] = (token, time.GetUtcNow().AddSeconds(Math.Max(1, lifetime - 5)));
            }
            return true;
        }
    }

    /// <summary>Parses <c>realm="…",service="…",scope="a,b"</c> (quoted values may hold commas).</summary>
    internal static Dictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }
            var eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }
            var key = text[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                end = end < 0 ? text.Length : end;
                value = text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var end = text.IndexOf(',', i);
                end = end < 0 ? text.Length : end;
                value = text[i..end].Trim();
                i = end;
            }
            result[key] = value;
        }
        return result;
    }
}
