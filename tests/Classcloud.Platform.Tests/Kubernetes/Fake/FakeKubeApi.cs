using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Classcloud.Platform.Tests.Kubernetes.Fake;

/// <summary>
/// A Kubernetes API server on loopback (Kestrel, ephemeral port, TLS with a CA of its own: FakeKubeApi.Tls.cs) holding objects in memory with
/// resourceVersions: create/get/list/watch/patch/put/delete of the kinds the driver uses, a
/// Deployment controller, scheduler and kubelet that move pods Pending → ContainerCreating →
/// Running (or Pending/Unschedulable when the node is full), errors as Status bodies (404, 409
/// AlreadyExists/Conflict, 410 Gone, 422 Invalid, 403 Forbidden) and exec/attach over the
/// WebSocket channel protocol (FakeExec.cs). Only what the driver calls, but the way a real API
/// server answers it.
/// </summary>
public sealed partial class FakeKubeApi : IAsyncDisposable
{
    public const string Token = "fake-token-for-tests";

    readonly object gate = new();
    readonly Dictionary<string, JsonObject> store = new(StringComparer.Ordinal);
    readonly List<(long Version, string Type, JsonObject Pod)> podHistory = [];
    readonly HashSet<(string Verb, string Resource)> forbidden = [];
    readonly Dictionary<string, List<string>> logs = new(StringComparer.Ordinal);
    WebApplication? app;
    long version = 100;
    long compactedBelow;
    int ipCounter = 1;
    CancellationTokenSource watchesEnd = new();
    TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri Url { get; private set; } = null!;

    /// <summary>Memory the one node can give to pod requests; pods beyond it stay Pending (Unschedulable).</summary>
    public long NodeMemoryBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Exec subprotocols the server speaks, in its order of preference.</summary>
    public IReadOnlyList<string> ExecProtocols { get; set; } = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

    /// <summary>Answer a too-old watch version with HTTP 410 instead of an ERROR event.</summary>
    public bool GoneAsHttpStatus { get; set; }

    public bool MetricsAvailable { get; set; } = true;

    /// <summary>Every request as "VERB /path?query", for assertions.</summary>
    public List<string> Requests { get; } = [];

    /// <summary>The last terminal size received on an exec's resize channel.</summary>
    public (int Width, int Height)? LastResize { get; private set; }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(Https())));
        app = builder.Build();
        app.UseWebSockets();
        app.Run(HandleAsync);
        await app.StartAsync();
        Url = new Uri(app.Urls.First());
        Put(Key("nodes", null, "fake-node-1"), new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = "fake-node-1" },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await watchesEnd.CancelAsync();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        watchesEnd.Dispose();
    }

    /// <summary>Makes requests of <paramref name="verb"/> on <paramref name="resource"/> answer 403 Forbidden.</summary>
    public void Forbid(string verb, string resource)
    {
        lock (gate)
        {
            forbidden.Add((verb, resource));
        }
    }

    public void Allow(string verb, string resource)
    {
        lock (gate)
        {
            forbidden.Remove((verb, resource));
        }
    }

    /// <summary>Forgets watch history (as etcd compaction does): watches from older versions get 410 Gone.</summary>
    public void Compact()
    {
        lock (gate)
        {
            compactedBelow = version;  // a list now returns this version, which stays valid
            podHistory.Clear();
        }
    }

    /// <summary>Ends every open watch stream (as an API server restart or its watch timeout does).</summary>
    public void EndWatches()
    {
        CancellationTokenSource old;
        lock (gate)
        {
            old = watchesEnd;
            watchesEnd = new CancellationTokenSource();
        }
        old.Cancel();
        old.Dispose();
    }

    /// <summary>A stored object (a copy), or null.</summary>
    public JsonObject? Get(string resource, string? ns, string name)
    {
        lock (gate)
        {
            return store.TryGetValue(Key(resource, ns, name), out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    /// <summary>Stored objects of a kind (copies), optionally in one namespace.</summary>
    public List<JsonObject> List(string resource, string? ns = null)
    {
        lock (gate)
        {
            return [.. store.Where(e => e.Key.StartsWith($"{resource}/{ns}", StringComparison.Ordinal)).Select(e => (JsonObject)e.Value.DeepClone())];
        }
    }

    public void AppendLog(string pod, string line)
    {
        lock (gate)
        {
            (logs.TryGetValue(pod, out var l) ? l : logs[pod] = []).Add($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffffff}01Z {line}");
            Signal();
        }
    }

    static string Key(string resource, string? ns, string name) => $"{resource}/{ns}/{name}";

    void Put(string key, JsonObject o)
    {
        o["metadata"]!["resourceVersion"] = (++version).ToString(CultureInfo.InvariantCulture);
        store[key] = o;
    }

    void Signal()
    {
        var old = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    /// <summary>Records a pod change for watchers.</summary>
    void Emit(string type, JsonObject pod)
    {
        podHistory.Add((version, type, (JsonObject)pod.DeepClone()));
        Signal();
    }

    static readonly Regex DnsLabel = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);
    static readonly Regex LabelValue = new("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$", RegexOptions.CultureInvariant);

    static async Task WriteStatusAsync(HttpContext context, int code, string reason, string message, JsonArray? causes = null)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        var status = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(),
            ["status"] = "Failure", ["message"] = message, ["reason"] = reason, ["code"] = code,
        };
        if (causes is not null)
        {
            status["details"] = new JsonObject { ["causes"] = causes };
        }
        await context.Response.WriteAsync(status.ToJsonString(), context.RequestAborted);
    }

    static Task WriteJsonAsync(HttpContext context, JsonNode body, int code = 200)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    /// <summary>Equality selectors ("k=v,k2=v2") and existence ("k") as kubectl sends them.</summary>
    static bool Matches(JsonObject o, string? labelSelector, string? fieldSelector)
    {
        var labels = o["metadata"]?["labels"] as JsonObject;
        foreach (var term in (labelSelector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = term.Split('=', 2);
            var actual = labels?[parts[0]]?.GetValue<string>();
            if (parts.Length == 1 ? actual is null : actual != parts[1])
            {
                return false;
            }
        }
        foreach (var term in (fieldSelector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = term.Split('=', 2);
            JsonNode? node = o;
            foreach (var segment in parts[0].Split('.'))
            {
                node = node?[segment];
            }
            if (node?.GetValue<string>() != parts[1])
            {
                return false;
            }
        }
        return true;
    }

    static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    static string Random5() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))[..5];
}
