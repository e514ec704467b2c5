using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Monitoring;

/// <summary>
/// /metrics: the Prometheus text format line by line (as OpenTelemetry's exporter writes it: a
/// series without labels may carry empty braces), and who may read it.
/// </summary>
public sealed partial class MetricsTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*)?\})? (-?[0-9.eE+-]+|\+Inf|-Inf|NaN)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$""")]
    private static partial Regex CommentLine();

    /// <summary>Parses every line; fails on one that is neither a HELP/TYPE comment nor a sample of a declared metric.</summary>
    static List<(string Name, string Labels, double Value)> Parse(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<(string, string, double)>();
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (CommentLine().Match(line) is { Success: true } comment)
            {
                if (comment.Groups[1].Value == "TYPE")
                {
                    Assert.Contains(comment.Groups[3].Value, new[] { "gauge", "counter", "histogram" });
                    Assert.True(types.TryAdd(comment.Groups[2].Value, comment.Groups[3].Value), $"TYPE twice: {line}");
                }
                continue;
            }
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"Not a sample line: '{line}'");
            var name = match.Groups[1].Value;
            var family = types.ContainsKey(name) ? name : Regex.Replace(name, "_(bucket|sum|count)$", "");
            Assert.True(types.ContainsKey(family), $"No TYPE before {name}");
            var raw = match.Groups[4].Value;
            var value = raw switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, _ => double.Parse(raw, CultureInfo.InvariantCulture) };
            samples.Add((name, match.Groups[3].Value, value));
        }
        return samples;
    }

    [Fact]
    public async Task Loopback_reads_request_metrics_in_the_text_format()
    {
        using var local = host.NewClient(IPAddress.Loopback);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await local.GetAsync("/healthz")).StatusCode);
        }
        await local.GetAsync("/api/v1/admin/users"); // 401: a 4xx series

        var response = await local.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var samples = Parse(await response.Content.ReadAsStringAsync());

        var health = samples.Single(s => s.Name == "classcloud_http_requests_total" && s.Labels == """method="GET",route="/healthz",status="2xx" """.Trim());
        Assert.True(health.Value >= 3);
        Assert.Contains(samples, s => s.Name == "classcloud_http_requests_total" && s.Labels == """method="GET",route="/api/v1/admin/users",status="4xx" """.Trim());
        var buckets = samples.Where(s => s.Name == "classcloud_http_request_duration_seconds_bucket" && s.Labels.Contains("route=\"/healthz\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, buckets.Count);
        Assert.True(buckets.Zip(buckets.Skip(1)).All(p => p.First.Value <= p.Second.Value), "buckets are cumulative");
        var count = samples.Single(s => s.Name == "classcloud_http_request_duration_seconds_count" && s.Labels.Contains("route=\"/healthz\"", StringComparison.Ordinal));
        Assert.Equal(count.Value, buckets[^1].Value);
        Assert.EndsWith("le=\"+Inf\"", buckets[^1].Labels, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Others_get_404_without_a_token_configured()
    {
        var response = await host.NewClient(ClasscloudHost.ClientAddress).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task With_a_token_others_need_it()
    {
        var tokenHost = host.Derive(configuration: new Dictionary<string, string?> { ["Classcloud:Metrics:Token"] = "scrape-secret-1" });
        using var client = tokenHost.NewClient(ClasscloudHost.ClientAddress);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/metrics")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "Authorization", "Bearer scrape-secret-2" } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "Authorization", "Bearer scrape-secret-1" } } };
        var response = await client.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Parse(await response.Content.ReadAsStringAsync());
    }
}
