using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Classcloud.Platform.Tests.Kubernetes.Fake;

public sealed partial class FakeKubeApi
{
    static readonly HashSet<string> ClusterScoped = ["namespaces", "nodes"];

    /// <summary>The REST routes: /version, /api/v1/…, /apis/{group}/{version}/…, with namespaced and cluster-wide collections.</summary>
    async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        lock (gate)
        {
            Requests.Add($"{request.Method} {request.Path}{request.QueryString}");
        }
        if (request.Headers.Authorization != $"Bearer {Token}" && context.Connection.ClientCertificate?.Issuer != Ca.Subject)
        {
            await WriteStatusAsync(context, 401, "Unauthorized", "Unauthorized");
            return;
        }
        var segments = request.Path.Value!.Trim('/').Split('/');
        if (segments is ["version"])
        {
            await WriteJsonAsync(context, new JsonObject { ["major"] = "1", ["minor"] = "31", ["gitVersion"] = "v1.31.0-fake", ["platform"] = "linux/amd64" });
            return;
        }
        string[] rest = segments switch
        {
            ["api", "v1", .. var r] => r,
            ["apis", _, _, .. var r] => r,
            _ => [],
        };
        string? ns = null;
        if (rest is ["namespaces", var n, _, ..])
        {
            ns = n;
            rest = rest[2..];
        }
        if (rest.Length == 0)
        {
            await WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource");
            return;
        }
        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : null;
        var sub = rest.Length > 2 ? rest[2] : null;
        if (segments[0] == "apis" && segments[1] == "metrics.k8s.io")
        {
            await MetricsAsync(context, ns!, name!);
            return;
        }
        var verb = (request.Method, name, sub) switch
        {
            ("GET", null, _) when Flag(request.Query["watch"]) => "watch",
            ("GET", null, _) => "list",
            ("GET", _, "exec" or "attach") => "create",
            ("GET", _, _) => "get",
            ("POST", _, _) => "create",
            ("PUT", _, _) => "update",
            ("PATCH", _, _) => "patch",
            ("DELETE", _, _) => "delete",
            _ => "unknown",
        };
        bool denied;
        lock (gate)
        {
            denied = forbidden.Contains((verb, sub is null ? resource : $"{resource}/{sub}"));
        }
        if (denied)
        {
            var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
            await WriteStatusAsync(context, 403, "Forbidden",
                $"{resource} is forbidden: User \"system:serviceaccount:classcloud:classcloud\" cannot {verb} resource \"{resource}\" in API group \"{(segments[0] == "apis" ? segments[1] : "")}\" {scope}");
            return;
        }
        switch (verb, sub)
        {
            case ("create", "exec" or "attach"):
                await ExecAsync(context, ns!, name!, sub == "attach");
                break;
            case ("get", "log"):
                await LogAsync(context, ns!, name!);
                break;
            case ("watch", _):
                await WatchAsync(context, ns, resource);
                break;
            case ("list", _):
                await ListAsync(context, ns, resource);
                break;
            case ("get", _):
                await GetAsync(context, ns, resource, name!);
                break;
            case ("create", _):
                await CreateAsync(context, ns, resource);
                break;
            case ("update", _) or ("patch", _):
                await UpdateAsync(context, ns, resource, name!, verb == "patch");
                break;
            case ("delete", _):
                await DeleteAsync(context, ns, resource, name!);
                break;
            default:
                await WriteStatusAsync(context, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
                break;
        }
    }

    /// <summary>Boolean query parameters: "true" from generated calls, "1" from the exec and attach URLs.</summary>
    static bool Flag(string? value) => value is "true" or "1";

    static string Kind(string resource) => resource switch
    {
        "namespaces" => "Namespace", "deployments" => "Deployment", "services" => "Service", "pods" => "Pod",
        "persistentvolumeclaims" => "PersistentVolumeClaim", "networkpolicies" => "NetworkPolicy",
        "resourcequotas" => "ResourceQuota", "secrets" => "Secret", "events" => "Event", "nodes" => "Node",
        _ => resource,
    };

    Task ListAsync(HttpContext context, string? ns, string resource)
    {
        JsonObject list;
        lock (gate)
        {
            if (resource == "nodes")
            {
                RefreshNode();
            }
            var items = store
                .Where(e => e.Key.StartsWith($"{resource}/", StringComparison.Ordinal) && (ns is null || e.Value["metadata"]?["namespace"]?.GetValue<string>() == ns))
                .Select(e => e.Value)
                .Where(o => Matches(o, context.Request.Query["labelSelector"], context.Request.Query["fieldSelector"]))
                .Select(o => o.DeepClone());
            list = new JsonObject
            {
                ["kind"] = Kind(resource) + "List", ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
                ["items"] = new JsonArray([.. items]),
            };
        }
        return WriteJsonAsync(context, list);
    }

    void RefreshNode()
    {
        var node = store[Key("nodes", null, "fake-node-1")];
        node["status"] = new JsonObject { ["allocatable"] = new JsonObject { ["cpu"] = "4", ["memory"] = $"{NodeMemoryBytes / 1024}Ki", ["pods"] = "110" } };
    }

    async Task GetAsync(HttpContext context, string? ns, string resource, string name)
    {
        JsonObject? found;
        lock (gate)
        {
            found = store.TryGetValue(Key(resource, ns, name), out var o) ? (JsonObject)o.DeepClone() : null;
        }
        if (found is null)
        {
            await NotFoundAsync(context, resource, name);
            return;
        }
        await WriteJsonAsync(context, found);
    }

    static Task NotFoundAsync(HttpContext context, string resource, string name) =>
        WriteStatusAsync(context, 404, "NotFound", $"{resource} \"{name}\" not found");

    async Task CreateAsync(HttpContext context, string? ns, string resource)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!;
        var meta = body["metadata"] as JsonObject ?? [];
        body["metadata"] = meta;
        var name = meta["name"]?.GetValue<string>() ?? "";
        if (Invalid(body, resource) is { } causes)
        {
            await WriteStatusAsync(context, 422, "Invalid", $"{Kind(resource)} \"{name}\" is invalid: {causes[0]!["message"]}", causes);
            return;
        }
        int code;
        lock (gate)
        {
            if (ns is not null && !store.ContainsKey(Key("namespaces", null, ns)))
            {
                code = 404;
            }
            else if (store.ContainsKey(Key(resource, ns, name)))
            {
                code = 409;
            }
            else
            {
                code = 201;
                meta["namespace"] = ns;
                meta["uid"] = Guid.NewGuid().ToString();
                meta["creationTimestamp"] = Now();
                if (resource == "namespaces")
                {
                    ((JsonObject)(meta["labels"] ??= new JsonObject()))["kubernetes.io/metadata.name"] = name;
                    body["status"] = new JsonObject { ["phase"] = "Active" };
                }
                Put(Key(resource, ns, name), body);
                if (resource == "deployments")
                {
                    Reconcile(ns!, name);
                }
                body = (JsonObject)store[Key(resource, ns, name)].DeepClone();
            }
        }
        switch (code)
        {
            case 404:
                await NotFoundAsync(context, "namespaces", ns!);
                break;
            case 409:
                await WriteStatusAsync(context, 409, "AlreadyExists", $"{resource} \"{name}\" already exists");
                break;
            default:
                await WriteJsonAsync(context, body, 201);
                break;
        }
    }

    /// <summary>The validation the driver can trip: names, label values, selectors matching the template.</summary>
    static JsonArray? Invalid(JsonObject body, string resource)
    {
        var causes = new JsonArray();
        var name = body["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (!DnsLabel.IsMatch(name) || name.Length > 63)
        {
            causes.Add(Cause("metadata.name", $"Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'"));
        }
        foreach (var (path, labels) in new[] { ("metadata.labels", body["metadata"]?["labels"]), ("spec.template.metadata.labels", body["spec"]?["template"]?["metadata"]?["labels"]) })
        {
            foreach (var (key, value) in (labels as JsonObject) ?? [])
            {
                var v = value?.GetValue<string>() ?? "";
                if (v.Length > 63 || !LabelValue.IsMatch(v))
                {
                    causes.Add(Cause($"{path}", $"Invalid value: \"{v}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.' (label {key})"));
                }
            }
        }
        if (resource == "deployments")
        {
            var selector = body["spec"]?["selector"]?["matchLabels"] as JsonObject ?? [];
            var template = body["spec"]?["template"]?["metadata"]?["labels"] as JsonObject ?? [];
            if (selector.Any(s => template[s.Key]?.GetValue<string>() != s.Value?.GetValue<string>()))
            {
                causes.Add(Cause("spec.template.metadata.labels", "Invalid value: `selector` does not match template `labels`"));
            }
        }
        return causes.Count > 0 ? causes : null;
    }

    static JsonObject Cause(string field, string message) => new() { ["reason"] = "FieldValueInvalid", ["message"] = message, ["field"] = field };

    async Task UpdateAsync(HttpContext context, string? ns, string resource, string name, bool patch)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!;
        if (patch && context.Request.ContentType?.Split(';')[0] != "application/merge-patch+json")
        {
            await WriteStatusAsync(context, 415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/merge-patch+json (fake)");
            return;
        }
        JsonObject? result = null;
        var code = 200;
        lock (gate)
        {
            if (!store.TryGetValue(Key(resource, ns, name), out var current))
            {
                code = 404;
            }
            else if (!patch && body["metadata"]?["resourceVersion"]?.GetValue<string>() is { } rv && rv != current["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                code = 409;
            }
            else
            {
                JsonObject updated;
                if (patch)
                {
                    updated = (JsonObject)current.DeepClone();
                    MergePatch(updated, body);
                }
                else
                {
                    updated = body;
                    foreach (var keep in new[] { "uid", "creationTimestamp", "namespace" })
                    {
                        updated["metadata"]![keep] = current["metadata"]![keep]?.DeepClone();
                    }
                    updated["status"] = current["status"]?.DeepClone();
                }
                if (Invalid(updated, resource) is { } causes)
                {
                    code = 422;
                    result = new JsonObject { ["causes"] = causes };
                }
                else
                {
                    Put(Key(resource, ns, name), updated);
                    if (resource == "deployments")
                    {
                        Reconcile(ns!, name);
                    }
                    result = (JsonObject)store[Key(resource, ns, name)].DeepClone();
                }
            }
        }
        switch (code)
        {
            case 404:
                await NotFoundAsync(context, resource, name);
                break;
            case 409:
                await WriteStatusAsync(context, 409, "Conflict", $"Operation cannot be fulfilled on {resource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
                break;
            case 422:
                var list = (JsonArray)result!["causes"]!;
                await WriteStatusAsync(context, 422, "Invalid", $"{Kind(resource)} \"{name}\" is invalid: {list[0]!["message"]}", (JsonArray)list.DeepClone());
                break;
            default:
                await WriteJsonAsync(context, result!);
                break;
        }
    }

    /// <summary>RFC 7386: objects merge, null removes, anything else replaces.</summary>
    static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject child && target[key] is JsonObject existing)
            {
                MergePatch(existing, child);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    async Task DeleteAsync(HttpContext context, string? ns, string resource, string name)
    {
        bool found;
        JsonObject? deleted;
        lock (gate)
        {
            found = store.Remove(Key(resource, ns, name), out var removed);
            deleted = (JsonObject?)removed?.DeepClone();
            if (found)
            {
                switch (resource)
                {
                    case "namespaces":
                        foreach (var key in store.Keys.Where(k => k.Split('/')[1] == name).ToList())
                        {
                            if (key.StartsWith("pods/", StringComparison.Ordinal))
                            {
                                Terminate(store[key]);
                            }
                            else
                            {
                                store.Remove(key);
                            }
                        }
                        break;
                    case "deployments":
                        // Garbage collection of the pods it owns (background propagation).
                        foreach (var pod in OwnedPods(ns!, name))
                        {
                            Terminate(pod);
                        }
                        break;
                    case "pods":
                        store[Key(resource, ns, name)] = removed!;
                        Terminate(removed!);
                        break;
                    default:
                        break;
                }
            }
        }
        if (!found)
        {
            await NotFoundAsync(context, resource, name);
            return;
        }
        // As a real API server: the deleted object for these kinds (a namespace too, although the
        // OpenAPI document promises a Status), a Status for the others.
        await WriteJsonAsync(context, resource is "services" or "persistentvolumeclaims" or "pods" or "namespaces" or "secrets"
            ? deleted!
            : new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success" });
    }
}
