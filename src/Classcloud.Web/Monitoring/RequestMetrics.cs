using System.Collections.Concurrent;
using System.Diagnostics;

namespace Classcloud.Web.Monitoring;

/// <summary>
/// The platform's own request counts and durations, by method, route template and status class.
/// Labels come from route templates (not paths), so their number stays bounded; requests that
/// match no endpoint (static files, unknown paths) share the route "none".
/// </summary>
public sealed class RequestMetrics
{
    /// <summary>Upper bounds (seconds) of the duration histogram's buckets.</summary>
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>More distinct label sets than this are folded into route "other" (a guard, not expected).</summary>
    const int MaxSeries = 2000;

    readonly ConcurrentDictionary<(string Method, string Route, string Status), long[]> counts = new();
    readonly ConcurrentDictionary<(string Method, string Route), Histogram> durations = new();

    sealed class Histogram
    {
        public long[] BucketCounts { get; } = new long[Buckets.Length];
        public long Count;
        public double Sum;
        public readonly Lock Gate = new();
    }

    public void Record(string method, string route, int status, TimeSpan elapsed)
    {
        if (counts.Count >= MaxSeries && !counts.ContainsKey((method, route, StatusClass(status))))
        {
            route = "other";
        }
        Interlocked.Increment(ref counts.GetOrAdd((method, route, StatusClass(status)), _ => new long[1])[0]);
        var histogram = durations.GetOrAdd((method, route), _ => new Histogram());
        var seconds = elapsed.TotalSeconds;
        lock (histogram.Gate)
        {
            for (var i = 0; i < Buckets.Length; i++)
            {
                if (seconds <= Buckets[i])
                {
                    histogram.BucketCounts[i]++;
                }
            }
            histogram.Count++;
            histogram.Sum += seconds;
        }
    }

    public IEnumerable<(string Method, string Route, string Status, long Count)> Counts =>
        counts.Select(c => (c.Key.Method, c.Key.Route, c.Key.Status, Interlocked.Read(ref c.Value[0])));

    public IEnumerable<(string Method, string Route, long[] Buckets, long Count, double Sum)> Durations =>
        durations.Select(d =>
        {
            lock (d.Value.Gate)
            {
                return (d.Key.Method, d.Key.Route, (long[])d.Value.BucketCounts.Clone(), d.Value.Count, d.Value.Sum);
            }
        }).ToList();

    static string StatusClass(int status) => status switch
    {
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };
}

/// <summary>Times every request and records it once the endpoint that served it is known.</summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, RequestMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "none";
            var status = context.Response.StatusCode;
            metrics.Record(context.Request.Method, route, context.RequestAborted.IsCancellationRequested && status == 200 ? 499 : status,
                Stopwatch.GetElapsedTime(started));
        }
    }
}
