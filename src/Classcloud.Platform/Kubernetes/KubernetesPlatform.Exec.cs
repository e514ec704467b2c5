using System.Text;

namespace Classcloud.Platform.Kubernetes;

internal sealed partial class KubernetesPlatform
{
    public async Task<IStreamSession> ExecAsync(WorkloadId id, ExecRequest request, CancellationToken ct) =>
        await StartExecAsync(id, request, attachStdin: true, ct);

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
        var path = Query($"{PodsPath(ns)}/{pod}/exec",
            ("container", KubeObjects.ContainerName),
            ("stdin", attachStdin ? "true" : "false"),
            ("stdout", "true"),
            ("stderr", request.Tty ? "false" : "true"),
            ("tty", request.Tty ? "true" : "false"));
        path += string.Concat(command.Select(c => "&command=" + Uri.EscapeDataString(c)));
        var socket = await kube.ConnectWebSocketAsync(path, KubeExecSession.Protocols, ct);
        return new KubeExecSession(socket, request.Tty);
    }

    public async Task<IStreamSession> AttachAsync(WorkloadId id, int replica, CancellationToken ct)
    {
        var (ns, pod, spec) = await RunningPodAsync(id, replica, ct);
        var tty = spec?.Tty ?? false;
        var path = Query($"{PodsPath(ns)}/{pod}/attach",
            ("container", KubeObjects.ContainerName), ("stdin", tty ? "true" : "false"), ("stdout", "true"),
            ("stderr", tty ? "false" : "true"), ("tty", tty ? "true" : "false"));
        var socket = await kube.ConnectWebSocketAsync(path, KubeExecSession.Protocols, ct);
        // Attach gets no exit status on channel 3; the pod's container status has it.
        return new KubeExecSession(socket, tty, async c =>
        {
            var current = await kube.FindAsync($"{PodsPath(ns)}/{pod}", KubeJson.Default.Pod, c);
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
        return (deployment.Metadata.Namespace!, instance.InstanceId, status.Spec);
    }
}
