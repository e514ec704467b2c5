using Microsoft.AspNetCore.Http.HttpResults;

namespace Classcloud.Web.Hosting;

/// <summary>One dependency /readyz reports on (the database now; the engine and registry later).</summary>
public interface IReadinessCheck
{
    string Name { get; }

    Task<bool> IsReadyAsync(CancellationToken ct);
}

public static class Health
{
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapGet("/healthz", (HostRoles roles) => TypedResults.Ok(new { status = "ok", roles = roles.ToString() }))
            .ExcludeFromDescription();
        app.MapGet("/readyz", ReadyAsync).ExcludeFromDescription();
        return app;
    }

    static async Task<Results<Ok<ReadyReport>, JsonHttpResult<ReadyReport>>> ReadyAsync(
        IEnumerable<IReadinessCheck> checks, CancellationToken ct)
    {
        var results = new Dictionary<string, string>();
        foreach (var check in checks)
        {
            bool ok;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                ok = await check.IsReadyAsync(timeout.Token);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                ok = false;
            }
            results[check.Name] = ok ? "ok" : "unavailable";
        }
        var ready = results.Values.All(v => v == "ok");
        var report = new ReadyReport(ready ? "ok" : "unavailable", results);
        return ready ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    public sealed record ReadyReport(string Status, IReadOnlyDictionary<string, string> Checks);
}
