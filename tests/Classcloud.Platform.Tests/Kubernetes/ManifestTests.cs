using System.Diagnostics;
using System.Text.Json;
using Classcloud.Platform.Kubernetes;

namespace Classcloud.Platform.Tests.Kubernetes;

/// <summary>
/// Every object `kubectl kustomize` renders from each overlay, and every object the driver makes,
/// checked against the Kubernetes API schema (npm kubernetes-models) and the security rules
/// (non-root, no privilege escalation, capabilities dropped, RuntimeDefault seccomp, limits, no
/// wildcard RBAC) by k8s-validate/validate.mjs. Needs kubectl and node (test.sh installs both).
/// </summary>
public sealed class ManifestTests(ITestOutputHelper output) : IDisposable
{
    static readonly string Root = FindRoot();
    static readonly string Validator = Path.Combine(Root, "tests", "Classcloud.Platform.Tests", "Kubernetes", "k8s-validate");
    static readonly SemaphoreSlim NpmOnce = new(1, 1);

    readonly string work = Directory.CreateTempSubdirectory("classcloud-manifests-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Classcloud.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (Classcloud.slnx) above the test binaries.");
    }

    static async Task<(int Code, string Output)> RunAsync(string program, string arguments, string directory)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Installs the validator's packages once (from the lock file); offline once installed.</summary>
    static async Task EnsureValidatorAsync()
    {
        await NpmOnce.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(Validator, "node_modules", "kubernetes-models")))
            {
                var (code, text) = await RunAsync("npm", "ci --no-audit --no-fund", Validator);
                Assert.True(code == 0, $"npm ci in {Validator} failed:\n{text}");
            }
        }
        finally
        {
            NpmOnce.Release();
        }
    }

    async Task<(int Code, string Output)> ValidateAsync(params string[] arguments)
    {
        await EnsureValidatorAsync();
        var result = await RunAsync("node", "validate.mjs " + string.Join(' ', arguments.Select(a => $"\"{a}\"")), Validator);
        output.WriteLine(result.Output);
        return result;
    }

    async Task<string> RenderAsync(string overlay)
    {
        var (code, yaml) = await RunAsync("kubectl", $"kustomize deploy/kubernetes/overlays/{overlay}", Root);
        Assert.True(code == 0, $"kubectl kustomize {overlay} failed:\n{yaml}");
        var file = Path.Combine(work, $"{overlay}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return file;
    }

    [Theory]
    [InlineData("small", 1, 1, 2)]
    [InlineData("production", 3, 3, 2)]
    public async Task Each_overlay_renders_valid_and_hardened_objects(string overlay, int web, int gateway, int controller)
    {
        var file = await RenderAsync(overlay);
        var yaml = await File.ReadAllTextAsync(file);
        var (code, text) = await ValidateAsync(file);
        Assert.True(code == 0, text);
        Assert.Contains("0 problems", text, StringComparison.Ordinal);

        foreach (var (name, replicas, roles) in new[] { ("web", web, "web"), ("gateway", gateway, "web,gateway"), ("controller", controller, "controller") })
        {
            var deployment = Section(yaml, "Deployment", $"classcloud-{name}");
            Assert.Contains($"replicas: {replicas}\n", deployment, StringComparison.Ordinal);
            Assert.Contains($"- --roles\n        - {roles}\n", deployment, StringComparison.Ordinal);
            Assert.Contains("path: /healthz", deployment, StringComparison.Ordinal);
            Assert.Contains("path: /readyz", deployment, StringComparison.Ordinal);
            Assert.Contains("name: classcloud-database", deployment, StringComparison.Ordinal);
            Assert.Contains("key: connection-string", deployment, StringComparison.Ordinal);
            Assert.Contains("PodDisruptionBudget", Section(yaml, "PodDisruptionBudget", $"classcloud-{name}"), StringComparison.Ordinal);
        }
        Assert.Contains("kind: Ingress", yaml, StringComparison.Ordinal);
        Assert.Contains("serviceAccountName: classcloud", yaml, StringComparison.Ordinal);
        Assert.Contains("image: registry.example.ac.kr/classcloud/classcloud:1.0.0", yaml, StringComparison.Ordinal);
    }

    /// <summary>Kinds that live outside any namespace; every other object must name one.</summary>
    static readonly HashSet<string> ClusterScoped =
    [
        "Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass", "IngressClass",
        "PriorityClass", "RuntimeClass", "CustomResourceDefinition", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
    ];

    public static TheoryData<string> Overlays() =>
        [.. Directory.GetDirectories(Path.Combine(Root, "deploy", "kubernetes", "overlays")).Select(d => Path.GetFileName(d)!).Order()];

    /// <summary>
    /// An object rendered without metadata.namespace lands in whatever namespace the installer's
    /// kubectl context points at (found on a real cluster: the production HPAs, added by the overlay
    /// while `namespace:` was set only in the base).
    /// </summary>
    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_namespaced_object_of_an_overlay_names_its_namespace(string overlay)
    {
        var yaml = await File.ReadAllTextAsync(await RenderAsync(overlay));
        var objects = yaml.Split("\n---\n").Select(Metadata).ToList();
        Assert.NotEmpty(objects);
        var missing = objects.Where(o => !ClusterScoped.Contains(o.Kind) && o.Namespace != "classcloud").Select(o => $"{o.Kind}/{o.Name} (namespace: {o.Namespace ?? "none"})").ToList();
        Assert.True(missing.Count == 0, $"Rendered without the classcloud namespace in {overlay}: {string.Join(", ", missing)}");
    }

    /// <summary>Kind, name and namespace of one rendered document (kustomize indents metadata fields by two spaces).</summary>
    static (string Kind, string Name, string? Namespace) Metadata(string document)
    {
        var lines = document.Split('\n');
        string? Top(string key) => lines.FirstOrDefault(l => l.StartsWith(key + ": ", StringComparison.Ordinal))?[(key.Length + 2)..];
        var metadata = lines.SkipWhile(l => l != "metadata:").Skip(1).TakeWhile(l => l.StartsWith(' ')).ToList();
        string? Field(string key) => metadata.FirstOrDefault(l => l.StartsWith($"  {key}: ", StringComparison.Ordinal))?[(key.Length + 4)..];
        return (Top("kind") ?? throw new Xunit.Sdk.XunitException($"A rendered document has no kind:\n{document}"), Field("name") ?? "?", Field("namespace"));
    }

    /// <summary>The rendered document of one object (kustomize writes them sorted, separated by ---).</summary>
    static string Section(string yaml, string kind, string name) =>
        yaml.Split("\n---\n").SingleOrDefault(d => ("\n" + d).Contains($"\nkind: {kind}\n", StringComparison.Ordinal) && d.Contains($"\n  name: {name}\n", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No {kind} {name} in the rendered overlay.");

    [Fact]
    public async Task Every_object_the_driver_makes_is_valid_and_hardened()
    {
        var options = new KubernetesOptions { RegistryPullSecret = "classcloud-registry", StorageClass = "fast-ssd" };
        var objects = new KubeObjects(options, new WorkloadDefaults());
        var plain = new WorkloadSpec { Id = new WorkloadId("ws-plain"), Image = "registry.example/classcloud/terminal:1" };
        var full = new WorkloadSpec
        {
            Id = new WorkloadId("ws-full"),
            Image = "registry.example/classcloud/desktop:1",
            Command = ["tmux", "new", "-A", "-s", "main"],
            Environment = new Dictionary<string, string> { ["LANG"] = "ko_KR.UTF-8" },
            WorkingDirectory = "/home/classcloud",
            User = "1001:1001",
            Resources = new WorkloadResources(2, 2L * 1024 * 1024 * 1024, 256),
            Replicas = 2,
            Tenant = "course-101",
            Volumes = [new VolumeMount("home-ws-full", "/home/classcloud"), new VolumeMount("shared", "/shared", ReadOnly: true)],
            Tmpfs = [new TmpfsMount("/work", 16 * 1024 * 1024)],
            ReadOnlyRootFilesystem = true,
            Labels = new Dictionary<string, string> { ["classcloud.io/kind"] = "workspace" },
            HealthCheck = new HealthCheck(["true"], TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), 3, TimeSpan.FromSeconds(5)),
            Capabilities = ["NET_BIND_SERVICE"],
            Tty = true,
        };
        var written = new List<string>();
        void Write(string name, object value)
        {
            var file = Path.Combine(work, $"{name}.json");
            File.WriteAllText(file, k8s.KubernetesJson.Serialize(value));
            written.Add(file);
        }
        foreach (var spec in new[] { plain, full })
        {
            var ns = objects.NamespaceOf(spec.Tenant);
            Write($"deployment-{spec.Id}", objects.Deployment(spec, ns, spec.Replicas, started: true));
            Write($"service-{spec.Id}", KubeObjects.Service(spec, ns));
        }
        Write("pvc", objects.Volume("home-ws-full", "cc-course-101", new Dictionary<string, string> { ["classcloud.io/tenant"] = "course-101" }));
        foreach (var (tenant, egress) in new[] { ((string?)"course-101", true), (null, false) })
        {
            Write($"namespace-{tenant ?? "none"}", objects.Namespace(tenant, egress));
            Write($"quota-{tenant ?? "none"}", objects.Quota(tenant));
            foreach (var policy in objects.NetworkPolicies(tenant, egress))
            {
                Write($"policy-{tenant ?? "none"}-{policy.Metadata.Name}", policy);
            }
        }
        var (code, text) = await ValidateAsync(["--no-read-only-root", .. written]);
        Assert.True(code == 0, text);
        Assert.Contains($"{written.Count} objects checked, 0 problems", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_validator_fails_on_schema_errors_and_broken_rules()
    {
        var file = Path.Combine(work, "bad.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: too-much
            rules:
              - apiGroups: [""]
                resources: ["*"]
                verbs: ["get", "escalate"]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: loose
            spec:
              replicas: "two"
              selector: {}
              template:
                spec:
                  containers:
                    - name: main
                      image: x
                      securityContext:
                        privileged: true
            """);
        var (code, text) = await ValidateAsync(file);
        Assert.Equal(1, code);
        Assert.Contains("ClusterRole/too-much: security: rule 0 has a wildcard in resources", text, StringComparison.Ordinal);
        Assert.Contains("ClusterRole/too-much: security: rule 0 grants escalate", text, StringComparison.Ordinal);
        Assert.Contains("Deployment/loose: schema: data/spec/replicas must be integer", text, StringComparison.Ordinal);
        Assert.Contains("Deployment/loose: security: container main is privileged", text, StringComparison.Ordinal);
        Assert.Contains("Deployment/loose: security: container main has no CPU and memory limits", text, StringComparison.Ordinal);
    }
}
