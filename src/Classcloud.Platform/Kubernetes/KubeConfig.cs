using System.Text;
using System.Text.Json.Nodes;

namespace Classcloud.Platform.Kubernetes;

/// <summary>Where the API is and how to authenticate: from a kubeconfig context or the pod's service account.</summary>
internal sealed record KubeEndpoint
{
    public required Uri Server { get; init; }

    /// <summary>PEM of the CA that signed the API server's certificate; null trusts the system store.</summary>
    public string? CaPem { get; init; }

    public string? ClientCertificatePem { get; init; }

    public string? ClientKeyPem { get; init; }

    public string? Token { get; init; }

    /// <summary>A file re-read for each token (service-account tokens are rotated by the kubelet).</summary>
    public string? TokenFile { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>The context's (or service account's) namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>Keeps secrets out of logs.</summary>
    public override string ToString() => Server.ToString();
}

/// <summary>Reads a kubeconfig file (<c>clusters</c>, <c>users</c>, <c>contexts</c>, <c>current-context</c>).</summary>
internal static class KubeConfig
{
    const string ServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The configured file, else in-cluster, else $KUBECONFIG, else ~/.kube/config.</summary>
    public static KubeEndpoint Resolve(KubernetesOptions options)
    {
        if (options.Kubeconfig is { } path)
        {
            return Load(path, options.Context);
        }
        if (InCluster(ServiceAccountDir) is { } inCluster)
        {
            return inCluster;
        }
        var fallback = Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(':')[0]
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return Load(fallback, options.Context);
    }

    /// <summary>The service account mounted into a pod, when running in a cluster.</summary>
    public static KubeEndpoint? InCluster(string directory)
    {
        var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT") ?? "443";
        var token = Path.Combine(directory, "token");
        if (string.IsNullOrEmpty(host) || !File.Exists(token))
        {
            return null;
        }
        var ns = Path.Combine(directory, "namespace");
        var ca = Path.Combine(directory, "ca.crt");
        return new KubeEndpoint
        {
            Server = new UriBuilder("https", host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)).Uri,
            TokenFile = token,
            CaPem = File.Exists(ca) ? File.ReadAllText(ca) : null,
            Namespace = File.Exists(ns) ? File.ReadAllText(ns).Trim() : null,
        };
    }

    public static KubeEndpoint Load(string path, string? context)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new PlatformUnavailableException($"Cannot read the kubeconfig {path}: {ex.Message}", ex);
        }
        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", context, path);
    }

    /// <summary>Picks the context (given, else current) and resolves its cluster and user; relative file paths are relative to <paramref name="baseDirectory"/>.</summary>
    public static KubeEndpoint Parse(string text, string baseDirectory, string? contextName, string source = "kubeconfig")
    {
        JsonNode? root;
        try
        {
            root = MiniYaml.Parse(text);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            throw new PlatformInvalidRequestException($"{source} is not a readable kubeconfig: {ex.Message}", ex);
        }
        contextName ??= Str((root as JsonObject)?["current-context"])
            ?? throw new PlatformInvalidRequestException($"{source} has no current-context and no context was configured.");
        var context = Named(root, "contexts", contextName, "context", source);
        var clusterName = Str(context["cluster"]) ?? throw new PlatformInvalidRequestException($"Context {contextName} in {source} names no cluster.");
        var cluster = Named(root, "clusters", clusterName, "cluster", source);
        var user = Str(context["user"]) is { } userName ? Named(root, "users", userName, "user", source) : new JsonObject();
        if (user["exec"] is not null || user["auth-provider"] is not null)
        {
            throw new PlatformInvalidRequestException(
                $"User of context {contextName} in {source} authenticates through a plugin (exec/auth-provider), which Classcloud does not run; give it a service-account token or a client certificate.");
        }
        var server = Str(cluster["server"]) ?? throw new PlatformInvalidRequestException($"Cluster {clusterName} in {source} has no server.");
        return new KubeEndpoint
        {
            Server = new Uri(server.EndsWith('/') ? server : server + "/"),
            CaPem = Data(cluster, "certificate-authority", baseDirectory),
            InsecureSkipTlsVerify = Str(cluster["insecure-skip-tls-verify"]) is "true",
            ClientCertificatePem = Data(user, "client-certificate", baseDirectory),
            ClientKeyPem = Data(user, "client-key", baseDirectory),
            Token = Str(user["token"]),
            TokenFile = Str(user["tokenFile"]) is { } tokenFile ? Path.Combine(baseDirectory, tokenFile) : null,
            Namespace = Str(context["namespace"]),
        };
    }

    static JsonObject Named(JsonNode? root, string list, string name, string field, string source) =>
        (root is JsonObject o ? o[list] as JsonArray : null)?.OfType<JsonObject>().FirstOrDefault(e => Str(e["name"]) == name)?[field] as JsonObject
        ?? throw new PlatformInvalidRequestException($"{source} has no {field} named '{name}'.");

    /// <summary><c>{key}-data</c> (base64) or <c>{key}</c> (a file).</summary>
    static string? Data(JsonObject node, string key, string baseDirectory)
    {
        if (Str(node[$"{key}-data"]) is { } data)
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(data));
        }
        return Str(node[key]) is { } file ? File.ReadAllText(Path.Combine(baseDirectory, file)) : null;
    }

    static string? Str(JsonNode? node) => node is JsonValue v ? v.ToString() : null;
}
