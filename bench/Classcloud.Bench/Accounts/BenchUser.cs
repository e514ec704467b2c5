using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Classcloud.Bench.Runner;

namespace Classcloud.Bench.Accounts;

/// <summary>
/// One virtual user: a verified student account, an HttpClient with its own cookie jar (signed in),
/// and a second client that sends a personal access token instead of cookies.
/// </summary>
internal sealed class BenchUser : IDisposable
{
    public const string Password = "bench-horse-7x";

    BenchUser(string email, Uri address)
    {
        Email = email;
        Cookies = NewClient(address, useCookies: true);
        Token = NewClient(address, useCookies: false);
        LoginBody = JsonSerializer.SerializeToUtf8Bytes(new { email, password = Password });
    }

    public string Email { get; }

    /// <summary>Signed in with the auth cookie (sign-in again replaces it).</summary>
    public HttpClient Cookies { get; }

    /// <summary>Sends `Authorization: Bearer ccp_…`; has no cookie jar.</summary>
    public HttpClient Token { get; }

    /// <summary>The login request body, serialized once so the client's own work stays small.</summary>
    public byte[] LoginBody { get; }

    static HttpClient NewClient(Uri address, bool useCookies) => new(new SocketsHttpHandler
    {
        UseCookies = useCookies,
        CookieContainer = new CookieContainer(),
        AllowAutoRedirect = false,
        // One operation at a time per user: one kept-alive connection each, as a browser tab would.
        MaxConnectionsPerServer = 1,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    {
        BaseAddress = address,
        // Generous: signing up hundreds on a loaded 2-core machine queues PBKDF2 hashes for longer than 30 s.
        Timeout = TimeSpan.FromSeconds(120),
    };

    /// <summary>Signs up <paramref name="count"/> students through the API, follows the mailed links, signs them in and gives each a token.</summary>
    public static async Task<IReadOnlyList<BenchUser>> PrepareAsync(HostProcess host, int count, CancellationToken ct)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var users = Enumerable.Range(1, count).Select(i => new BenchUser($"bench-{run}-{i}@bench.ac.kr", host.Address)).ToList();
        try
        {
            // A few at a time: every step hashes a password or a token on the host's two cores.
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct };
            await Parallel.ForEachAsync(users, parallel, async (u, c) => await u.RegisterAsync(c));
            var tokens = await PickupMailbox.TokensAsync(host.DataDirectory, users.Select(u => u.Email).ToList(), "/verify", ct);
            await Parallel.ForEachAsync(users, parallel, async (u, c) => await u.VerifySignInAndCreateTokenAsync(tokens[u.Email], c));
            return users;
        }
        catch
        {
            users.ForEach(u => u.Dispose());
            throw;
        }
    }

    async Task RegisterAsync(CancellationToken ct)
    {
        using var response = await Cookies.PostAsJsonAsync("/api/v1/auth/register",
            new { email = Email, password = Password, name = "Bench User", nickname = "bench", role = "student" }, ct);
        await ExpectAsync(response, HttpStatusCode.Created, "register", ct);
    }

    async Task VerifySignInAndCreateTokenAsync(string verifyToken, CancellationToken ct)
    {
        using (var verify = await Cookies.PostAsJsonAsync("/api/v1/auth/verify", new { token = verifyToken }, ct))
        {
            await ExpectAsync(verify, HttpStatusCode.OK, "verify", ct);
        }
        await SignInAsync(ct);
        using var created = await Cookies.PostAsJsonAsync("/api/v1/tokens", new { name = "bench", expiresInDays = 1 }, ct);
        await ExpectAsync(created, HttpStatusCode.Created, "create token", ct);
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString();
        Token.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // Both ways in must answer as this user before anything is measured.
        await MeAsync(Cookies, ct);
        await MeAsync(Token, ct);
    }

    public async Task SignInAsync(CancellationToken ct)
    {
        using var body = new ByteArrayContent(LoginBody);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Cookies.PostAsync(new Uri("/api/v1/auth/login", UriKind.Relative), body, ct);
        await ExpectAsync(response, HttpStatusCode.OK, "login", ct);
    }

    public static async Task MeAsync(HttpClient client, CancellationToken ct)
    {
        using var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative), ct);
        await ExpectAsync(response, HttpStatusCode.OK, "GET /api/v1/me", ct);
    }

    public static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string what, CancellationToken ct)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new BenchOperationException($"{what}: {(int)response.StatusCode} instead of {(int)expected}: {(body.Length > 300 ? body[..300] : body)}");
        }
    }

    public void Dispose()
    {
        Cookies.Dispose();
        Token.Dispose();
    }
}
