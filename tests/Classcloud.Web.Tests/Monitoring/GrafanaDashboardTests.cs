using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Classcloud.Web.Monitoring;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Monitoring;

/// <summary>
/// Issue 16: the Grafana dashboards in deploy/grafana/dashboards ask only for metrics /metrics exposes, and every metric
/// /metrics exposes is on some dashboard. The names come from the host's own meter (all its instruments, the workload
/// gauges included: the platform is on, pointed at an engine that is not there), turned into the names the Prometheus
/// exporter writes (a counter gains _total, a histogram in seconds _seconds_bucket, _sum and _count).
/// </summary>
public sealed partial class GrafanaDashboardTests : IClassFixture<SqliteHost>
{
    readonly SqliteHost host;

    public GrafanaDashboardTests(SqliteHost host)
    {
        host.Configure("Classcloud:Platform:Enabled", "true");
        host.Configure("Classcloud:Platform:Docker:Endpoint", "unix:///nonexistent/classcloud-grafana.sock");
        host.Configure("Classcloud:Platform:Registry:Address", "127.0.0.1:1");
        this.host = host;
    }

    [GeneratedRegex(@"\bclasscloud_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [Fact]
    public void Every_dashboard_expression_names_an_exposed_metric_and_every_metric_is_charted()
    {
        var exposed = ExposedNames();
        Assert.Contains("classcloud_http_requests_total", exposed); // the naming rule matches the exporter (MetricsTests reads it)
        Assert.Contains("classcloud_workload_memory_bytes", exposed);
        var folder = Path.Combine(ProcessHost.RepositoryRoot(), "deploy", "grafana", "dashboards");
        var files = Directory.GetFiles(folder, "*.json");
        Assert.True(files.Length >= 3, $"dashboards expected in {folder}");
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var uid = doc.RootElement.GetProperty("uid").GetString();
            Assert.StartsWith("classcloud-", uid, StringComparison.Ordinal);
            var expressions = Expressions(doc.RootElement).ToList();
            Assert.NotEmpty(expressions);
            foreach (var expr in expressions)
            {
                var names = MetricName().Matches(expr).Select(m => m.Value).ToList();
                Assert.True(names.Count > 0, $"{Path.GetFileName(file)}: '{expr}' reads no Classcloud metric");
                foreach (var name in names)
                {
                    Assert.True(exposed.Contains(name), $"{Path.GetFileName(file)}: '{name}' in '{expr}' is not a metric /metrics exposes");
                    used.Add(name);
                }
            }
        }
        var families = exposed.Where(n => !n.EndsWith("_sum", StringComparison.Ordinal) && !n.EndsWith("_count", StringComparison.Ordinal)).ToList();
        var uncharted = families.Where(n => !used.Contains(n)).ToList();
        Assert.True(uncharted.Count == 0, "Metrics on no dashboard: " + string.Join(", ", uncharted));
    }

    /// <summary>Panel targets' expressions and template variables' queries, anywhere in the dashboard.</summary>
    static IEnumerable<string> Expressions(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                if (p.Name is "expr" or "definition" && p.Value.ValueKind == JsonValueKind.String)
                {
                    yield return p.Value.GetString()!;
                }
                foreach (var inner in Expressions(p.Value))
                {
                    yield return inner;
                }
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray().SelectMany(Expressions))
            {
                yield return item;
            }
        }
    }

    HashSet<string> ExposedNames()
    {
        _ = host.Services.GetRequiredService<ClasscloudMetrics>();
        var meterName = host.Services.GetRequiredService<IConfiguration>()["Classcloud:Metrics:MeterName"];
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        // Published instruments are announced at Start(), synchronously.
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name != meterName)
            {
                return;
            }
            var type = instrument.GetType().GetGenericTypeDefinition();
            if (type == typeof(Counter<>))
            {
                names.Add(instrument.Name + "_total");
            }
            else if (type == typeof(Histogram<>))
            {
                var unit = instrument.Unit == "s" ? "_seconds" : "";
                names.UnionWith(new[] { "_bucket", "_sum", "_count" }.Select(s => instrument.Name + unit + s));
            }
            else
            {
                names.Add(instrument.Name);
            }
        };
        listener.Start();
        return names;
    }
}
