using k8s;

namespace Classcloud.Platform.Kubernetes;

internal sealed partial class KubernetesPlatform
{
    public async Task<IStreamSession> ExecAsync(WorkloadId id, ExecRequest request, CancellationToken ct) =>
        await StartExecAsync(id, request, attachStdin: !request.NoInput, ct);

    public async Task<ExecResult> RunAsync(WorkloadId id, ExecRequest request, CancellationToken ct)
    {
        await using var session = await StartExecAsync(id, request, attachStdin: request.Input is not null, ct);
        return await ExecRun.CompleteAsync(session, id, request, time, ct);
    }

    /// <summary>
    /// Kubernetes exec has no user, environment or working directory: environment and directory
    /// go through <c>env -C dir K=V … command</c> (coreutils), and the user is always the pod's.
    /// </summary>
    async Task<IStreamSession> StartExecAsync(WorkloadId id, ExecRequest request, bool attachStdin, CancellationToken ct)
    {
        ExecRun.CheckUser(request);
        var (ns, pod, _) = await RunningPodAsync(id, request.Replica, ct, spec =>
        {
            var podUser = spec?.User ?? objects.DefaultUser;
            if (request.User is not null && request.User.Split(':')[0] != podUser.Split(':')[0])
            {
                throw new PlatformNotSupportedException($"Kubernetes runs exec as the pod's user ({podUser}); another user ({request.User}) cannot be chosen.");
            }
        });
        var command = new List<string>();
        if (request.Environment.Count > 0 || request.WorkingDirectory is not null)
        {
            command.Add("env");
            if (request.WorkingDirectory is { } dir)
            {
                command.AddRange(["-C", dir]);
            }
            command.AddRange(request.Environment.Select(e => $"{e.Key}={e.Value}"));
        }
        command.AddRange(request.Command);
        var socket = await kube.ConnectAsync($"exec in {ns}/{pod}", (k, c) => k.WebSocketNamespacedPodExecAsync(pod, ns, command, KubeObjects.ContainerName,
            stderr: !request.Tty, stdin: attachStdin, stdout: true, tty: request.Tty, webSocketSubProtocol: WebSocketProtocol.V4BinaryWebsocketProtocol, cancellationToken: c), ct);
        return new KubeExecSession(socket, request.Tty);
    }

    public async Task<IStreamSession> AttachAsync(WorkloadId id, int replica, CancellationToken ct)
    {
        var (ns, pod, spec) = await RunningPodAsync(id, replica, ct);
        var tty = spec?.Tty ?? false;
        var socket = await kube.ConnectAsync($"attach to {ns}/{pod}", (k, c) => k.WebSocketNamespacedPodAttachAsync(pod, ns, KubeObjects.ContainerName,
            stderr: !tty, stdin: tty, stdout: true, tty: tty, webSocketSubProtocol: WebSocketProtocol.V4BinaryWebsocketProtocol, cancellationToken: c), ct);
        // Attach gets no exit status on channel 3; the pod's container status has it.
        return new KubeExecSession(socket, tty, async c =>
        {
            var current = await kube.FindAsync($"GET pod {ns}/{pod}", (k, c2) => k.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: c2), c);
            return current?.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == KubeObjects.ContainerName)?.State?.Terminated?.ExitCode;
        });
    }

    /// <summary>The pod of a replica that runs; a stopped workload is a conflict, as Docker answers 409 to exec in a stopped container.</summary>
    async Task<(string Namespace, string Pod, WorkloadSpec? Spec)> RunningPodAsync(WorkloadId id, int replica, CancellationToken ct, Action<WorkloadSpec?>? check = null)
    {
        var deployment = (await FindDeploymentsAsync(id, ct)).FirstOrDefault() ?? throw new PlatformNotFoundException($"No such workload: {id}") { StatusCode = 404 };
        var status = await GetAsync(id, ct) ?? throw new PlatformNotFoundException($"No such workload: {id}") { StatusCode = 404 };
        var instance = status.Instances.FirstOrDefault(i => i.Replica == replica)
            ?? throw new PlatformNotFoundException($"Workload {id} has no replica {replica}.") { StatusCode = 404 };
        check?.Invoke(status.Spec);
        if (instance.State != InstanceState.Running)
        {
            throw new PlatformConflictException($"Replica {replica} of {id} is not running ({instance.State}{(instance.Reason is null ? "" : $": {instance.Reason}")}).") { StatusCode = 409 };
        }
        return (deployment.Metadata.NamespaceProperty, instance.InstanceId, status.Spec);
    }
}
