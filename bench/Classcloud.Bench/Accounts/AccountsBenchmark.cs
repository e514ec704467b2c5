using Classcloud.Bench.Runner;

namespace Classcloud.Bench.Accounts;

/// <summary>
/// Issue 2's benchmark: sign-in and `GET /api/v1/me` at N concurrent users against the real host
/// on SQLite and on PostgreSQL, next to the same host's `GET /healthz` as the baseline.
/// </summary>
internal sealed class AccountsBenchmark : IBenchmark
{
    public string Name => "accounts";

    static readonly Scenario<BenchUser>[] Scenarios =
    [
        new("healthz", "`GET /healthz`: routing and JSON only, no database; the baseline.", HealthzAsync),
        new("me", "`GET /api/v1/me` with the auth cookie of an earlier sign-in (cookie decryption, security-stamp check and the user row read).",
            (u, ct) => BenchUser.MeAsync(u.Cookies, ct)),
        new("signin+me", "`POST /api/v1/auth/login` then `GET /api/v1/me`, counted as one operation (two requests; the password hash dominates).",
            async (u, ct) =>
            {
                await u.SignInAsync(ct);
                await BenchUser.MeAsync(u.Cookies, ct);
            }),
        new("token-me", "`GET /api/v1/me` with `Authorization: Bearer` and a personal access token (token hash lookup, user row read).",
            (u, ct) => BenchUser.MeAsync(u.Token, ct)),
    ];

    public async Task<BenchmarkReport> RunAsync(BenchOptions options, string hostDll, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var machine = MachineInfo.Current(hostDll);
        var results = new List<ScenarioSummary>();
        foreach (var provider in options.Providers)
        {
            results.AddRange(await RunProviderAsync(provider, options, hostDll, ct));
        }
        var settings = new BenchSettings(options.Clients, options.Duration.TotalSeconds, options.Warmup.TotalSeconds, options.Rounds, options.Providers);
        return new BenchmarkReport(Name, "Accounts: sign-in and GET /api/v1/me", started, settings, machine with { LoadAverageAtEnd = MachineInfo.LoadAverage() }, results,
        [
            "ops/s: completed operations per second over all clients; p50/p99: latency of one operation in milliseconds; errors: operations without the expected status.",
            "vs baseline: ops/s divided by the same provider's healthz ops/s, and p50 divided by its healthz p50, both from this run.",
        ]);
    }

    static async Task<IReadOnlyList<ScenarioSummary>> RunProviderAsync(string provider, BenchOptions options, string hostDll, CancellationToken ct)
    {
        var settings = new Dictionary<string, string>
        {
            // The highest value the host accepts: every request comes from 127.0.0.1, and the
            // benchmark measures the work behind the limiter, not the limiter.
            ["Classcloud__Limits__AuthRequestsPerMinute"] = "100000",
        };
        await using var run = await ProviderHost.StartAsync(provider, options, hostDll, settings, ct);
        var host = run.Host;
        ScenarioRounds.Progress($"{provider}: preparing {options.Clients} users");
        var users = await BenchUser.PrepareAsync(host, options.Clients, ct);
        try
        {
            return await ScenarioRounds.RunAsync(provider, users, Scenarios, options, ct);
        }
        finally
        {
            foreach (var user in users)
            {
                user.Dispose();
            }
        }
    }

    /// <summary>The baseline of every benchmark: routing and a small JSON answer, no database.</summary>
    internal static async Task HealthzAsync(BenchUser user, CancellationToken ct)
    {
        using var response = await user.Cookies.GetAsync(new Uri("/healthz", UriKind.Relative), ct);
        await BenchUser.ExpectAsync(response, System.Net.HttpStatusCode.OK, "GET /healthz", ct);
    }
}
