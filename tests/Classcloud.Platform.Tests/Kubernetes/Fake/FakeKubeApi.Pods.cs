using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Classcloud.Platform.Tests.Kubernetes.Fake;

/// <summary>The controllers of the fake: Deployment → pods (Recreate), scheduler with one node's memory, kubelet start and stop.</summary>
public sealed partial class FakeKubeApi
{
    static readonly TimeSpan Step = TimeSpan.FromMilliseconds(30);

    const string OwnerLabel = "fake.k8s.io/deployment";

    List<JsonObject> OwnedPods(string ns, string deployment) => [.. store
        .Where(e => e.Key.StartsWith($"pods/{ns}/", StringComparison.Ordinal) && e.Value["metadata"]?["labels"]?[OwnerLabel]?.GetValue<string>() == deployment)
        .Select(e => e.Value)];

    static bool Terminating(JsonObject pod) => pod["metadata"]?["deletionTimestamp"] is not null;

    /// <summary>The Deployment controller: pods of another template go first (Recreate), then the count is matched.</summary>
    void Reconcile(string ns, string name)
    {
        var deployment = store[Key("deployments", ns, name)];
        var template = (JsonObject)deployment["spec"]!["template"]!;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(template.ToJsonString())))[..10];
        var replicas = deployment["spec"]?["replicas"]?.GetValue<int>() ?? 1;
        var live = OwnedPods(ns, name).Where(p => !Terminating(p)).ToList();
        foreach (var old in live.Where(p => p["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>() != hash).ToList())
        {
            Terminate(old);
            live.Remove(old);
        }
        foreach (var extra in live.OrderByDescending(p => p["metadata"]!["creationTimestamp"]!.GetValue<string>(), StringComparer.Ordinal).Take(Math.Max(0, live.Count - replicas)).ToList())
        {
            Terminate(extra);
            live.Remove(extra);
        }
        for (var i = live.Count; i < replicas; i++)
        {
            var labels = (JsonObject)template["metadata"]!["labels"]!.DeepClone();
            labels["pod-template-hash"] = hash;
            labels[OwnerLabel] = name;
            var podName = $"{name}-{hash}-{Random5()}";
            var pod = new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Pod",
                ["metadata"] = new JsonObject
                {
                    ["name"] = podName, ["namespace"] = ns, ["uid"] = Guid.NewGuid().ToString(),
                    ["creationTimestamp"] = Now(), ["labels"] = labels,
                    ["annotations"] = template["metadata"]!["annotations"]?.DeepClone(),
                },
                ["spec"] = template["spec"]!.DeepClone(),
                ["status"] = new JsonObject { ["phase"] = "Pending" },
            };
            Put(Key("pods", ns, podName), pod);
            Emit("ADDED", pod);
            _ = LaterAsync(() => Schedule(ns, podName));
        }
        deployment["status"] = new JsonObject { ["replicas"] = replicas, ["readyReplicas"] = live.Count(Running) };
    }

    static bool Running(JsonObject pod) => pod["status"]?["phase"]?.GetValue<string>() == "Running";

    async Task LaterAsync(Action action)
    {
        await Task.Delay(Step);
        lock (gate)
        {
            action();
        }
    }

    static long MemoryRequest(JsonObject pod) =>
        pod["spec"]?["containers"]?[0]?["resources"]?["requests"]?["memory"]?.GetValue<string>() is { } memory ? (long)new k8s.Models.ResourceQuantity(memory).ToDecimal() : 0;

    /// <summary>The scheduler: the pod fits if the node's memory covers every scheduled pod's request plus its own.</summary>
    void Schedule(string ns, string podName)
    {
        if (!store.TryGetValue(Key("pods", ns, podName), out var pod) || Terminating(pod) || pod["spec"]?["nodeName"] is not null)
        {
            return;
        }
        var used = store.Where(e => e.Key.StartsWith("pods/", StringComparison.Ordinal) && e.Value["spec"]?["nodeName"] is not null).Sum(e => MemoryRequest(e.Value));
        var status = (JsonObject)pod["status"]!;
        if (used + MemoryRequest(pod) > NodeMemoryBytes)
        {
            status["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "PodScheduled", ["status"] = "False", ["reason"] = "Unschedulable",
                ["message"] = "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
            });
            Put(Key("pods", ns, podName), pod);
            Emit("MODIFIED", pod);
            return;
        }
        pod["spec"]!["nodeName"] = "fake-node-1";
        status["conditions"] = new JsonArray(new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" });
        status["containerStatuses"] = new JsonArray(new JsonObject
        {
            ["name"] = "main", ["ready"] = false, ["restartCount"] = 0,
            ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
        });
        Put(Key("pods", ns, podName), pod);
        Emit("MODIFIED", pod);
        AddEvent(ns, podName, "Pulling", $"Pulling image \"{pod["spec"]!["containers"]![0]!["image"]}\"");
        _ = LaterAsync(() => StartContainer(ns, podName));
    }

    void AddEvent(string ns, string podName, string reason, string message)
    {
        var name = $"{podName}.{Random5()}";
        Put(Key("events", ns, name), new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["name"] = podName, ["namespace"] = ns },
            ["reason"] = reason, ["message"] = message, ["type"] = "Normal",
        });
    }

    /// <summary>The kubelet: the main container runs and, without a failing probe, is ready.</summary>
    void StartContainer(string ns, string podName)
    {
        if (!store.TryGetValue(Key("pods", ns, podName), out var pod) || Terminating(pod))
        {
            return;
        }
        var status = (JsonObject)pod["status"]!;
        status["phase"] = "Running";
        status["podIP"] = $"10.244.0.{Interlocked.Increment(ref ipCounter).ToString(CultureInfo.InvariantCulture)}";
        var main = (JsonObject)status["containerStatuses"]![0]!;
        main["ready"] = true;
        main["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Now() } };
        Put(Key("pods", ns, podName), pod);
        Emit("MODIFIED", pod);
        AddEvent(ns, podName, "Started", "Started container main");
        (logs.TryGetValue(podName, out var l) ? l : logs[podName] = []).Add($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffffff}01Z started {podName}");
        Signal();
    }

    /// <summary>Graceful deletion: marked, the container terminates, then the pod is gone; waiting pods may fit now.</summary>
    void Terminate(JsonObject pod)
    {
        if (Terminating(pod))
        {
            return;
        }
        var ns = pod["metadata"]!["namespace"]!.GetValue<string>();
        var name = pod["metadata"]!["name"]!.GetValue<string>();
        pod["metadata"]!["deletionTimestamp"] = Now();
        if (pod["status"]?["containerStatuses"]?[0] is JsonObject main && main["state"]?["running"] is JsonObject running)
        {
            main["state"] = new JsonObject
            {
                ["terminated"] = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed", ["startedAt"] = running["startedAt"]?.DeepClone(), ["finishedAt"] = Now() },
            };
            main["ready"] = false;
        }
        Put(Key("pods", ns, name), pod);
        Emit("MODIFIED", pod);
        _ = LaterAsync(() =>
        {
            if (store.Remove(Key("pods", ns, name), out var gone))
            {
                version++;
                Emit("DELETED", gone);
                foreach (var waiting in store.Where(e => e.Key.StartsWith("pods/", StringComparison.Ordinal) && e.Value["spec"]?["nodeName"] is null).Select(e => e.Value).ToList())
                {
                    Schedule(waiting["metadata"]!["namespace"]!.GetValue<string>(), waiting["metadata"]!["name"]!.GetValue<string>());
                }
            }
        });
    }

    /// <summary>The cluster autoscaler added a node: more memory, and waiting pods are scheduled.</summary>
    public void AddCapacity(long bytes)
    {
        lock (gate)
        {
            NodeMemoryBytes += bytes;
            foreach (var waiting in store.Where(e => e.Key.StartsWith("pods/", StringComparison.Ordinal) && e.Value["spec"]?["nodeName"] is null).Select(e => e.Value).ToList())
            {
                Schedule(waiting["metadata"]!["namespace"]!.GetValue<string>(), waiting["metadata"]!["name"]!.GetValue<string>());
            }
        }
    }

    /// <summary>The main process of a pod dies (OOM-killed or not) and the kubelet restarts it.</summary>
    public void Crash(string ns, string podName, int exitCode, bool oomKilled)
    {
        lock (gate)
        {
            var pod = store[Key("pods", ns, podName)];
            var main = (JsonObject)pod["status"]!["containerStatuses"]![0]!;
            main["lastState"] = new JsonObject
            {
                ["terminated"] = new JsonObject { ["exitCode"] = exitCode, ["reason"] = oomKilled ? "OOMKilled" : "Error", ["finishedAt"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) },
            };
            main["restartCount"] = main["restartCount"]!.GetValue<int>() + 1;
            main["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = DateTime.UtcNow.AddSeconds(1).ToString("O", CultureInfo.InvariantCulture) } };
            Put(Key("pods", ns, podName), pod);
            Emit("MODIFIED", pod);
        }
    }

    /// <summary>Streams pod changes after the given resourceVersion as JSON lines until the client leaves or <see cref="EndWatches"/>.</summary>
    async Task WatchAsync(HttpContext context, string? ns, string resource)
    {
        var from = long.TryParse(context.Request.Query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : version;
        string selector = context.Request.Query["labelSelector"].ToString();
        CancellationToken ended;
        lock (gate)
        {
            ended = watchesEnd.Token;
        }
        if (resource != "pods")
        {
            await WriteStatusAsync(context, 405, "MethodNotAllowed", "the fake watches pods only");
            return;
        }
        if (from < compactedBelow && GoneAsHttpStatus)
        {
            await WriteStatusAsync(context, 410, "Expired", $"too old resource version: {from} ({compactedBelow})");
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, ended);
        if (from < compactedBelow)
        {
            var gone = new JsonObject
            {
                ["type"] = "ERROR",
                ["object"] = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure", ["message"] = $"too old resource version: {from} ({compactedBelow})", ["reason"] = "Expired", ["code"] = 410 },
            };
            await context.Response.WriteAsync(gone.ToJsonString() + "\n", context.RequestAborted);
            return;
        }
        var cursor = from;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                List<(long Version, string Type, JsonObject Pod)> batch;
                Task next;
                lock (gate)
                {
                    batch = [.. podHistory.Where(h => h.Version > cursor && (ns is null || h.Pod["metadata"]!["namespace"]!.GetValue<string>() == ns) && Matches(h.Pod, selector, null))];
                    cursor = Math.Max(cursor, podHistory.Count > 0 ? podHistory[^1].Version : cursor);
                    next = changed.Task;
                }
                foreach (var (_, type, pod) in batch)
                {
                    await context.Response.WriteAsync(new JsonObject { ["type"] = type, ["object"] = pod.DeepClone() }.ToJsonString() + "\n", stop.Token);
                }
                await context.Response.Body.FlushAsync(stop.Token);
                await next.WaitAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client left, or the server ends its watches.
        }
    }

    async Task LogAsync(HttpContext context, string ns, string pod)
    {
        if (Get("pods", ns, pod) is null)
        {
            await NotFoundAsync(context, "pods", pod);
            return;
        }
        context.Response.ContentType = "text/plain";
        var follow = Flag(context.Request.Query["follow"]);
        var timestamps = Flag(context.Request.Query["timestamps"]);
        var sent = 0;
        if (int.TryParse(context.Request.Query["tailLines"], NumberStyles.None, CultureInfo.InvariantCulture, out var tail))
        {
            lock (gate)
            {
                sent = Math.Max(0, (logs.GetValueOrDefault(pod)?.Count ?? 0) - tail);
            }
        }
        while (!context.RequestAborted.IsCancellationRequested)
        {
            List<string> lines;
            Task next;
            bool exists;
            lock (gate)
            {
                lines = [.. (logs.GetValueOrDefault(pod) ?? []).Skip(sent)];
                next = changed.Task;
                exists = store.ContainsKey(Key("pods", ns, pod));
            }
            foreach (var line in lines)
            {
                await context.Response.WriteAsync((timestamps ? line : line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]) + "\n", context.RequestAborted);
            }
            sent += lines.Count;
            await context.Response.Body.FlushAsync(context.RequestAborted);
            if (!follow || !exists)
            {
                return;
            }
            try
            {
                await next.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    async Task MetricsAsync(HttpContext context, string ns, string pod)
    {
        var found = Get("pods", ns, pod);
        if (!MetricsAvailable || found is null || !Running(found))
        {
            await NotFoundAsync(context, "pods.metrics.k8s.io", pod);
            return;
        }
        await WriteJsonAsync(context, new JsonObject
        {
            ["kind"] = "PodMetrics", ["apiVersion"] = "metrics.k8s.io/v1beta1",
            ["metadata"] = new JsonObject { ["name"] = pod, ["namespace"] = ns },
            ["timestamp"] = Now(), ["window"] = "15s",
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["usage"] = new JsonObject { ["cpu"] = "250000000n", ["memory"] = "20Mi" } }),
        });
    }
}
