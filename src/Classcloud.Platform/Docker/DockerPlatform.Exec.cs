namespace Classcloud.Platform.Docker;

internal sealed partial class DockerPlatform
{
    public async Task<IStreamSession> ExecAsync(WorkloadId id, ExecRequest request, CancellationToken ct) =>
        await StartExecAsync(id, request, attachStdin: !request.NoInput, ct);

    public async Task<ExecResult> RunAsync(WorkloadId id, ExecRequest request, CancellationToken ct)
    {
        await using var session = await StartExecAsync(id, request, attachStdin: request.Input is not null, ct);
        return await ExecRun.CompleteAsync(session, id, request, time, ct);
    }

    async Task<IStreamSession> StartExecAsync(WorkloadId id, ExecRequest request, bool attachStdin, CancellationToken ct)
    {
        ExecRun.CheckUser(request);
        var container = ContainerRequests.ContainerName(id, request.Replica);
        var create = new ExecCreateRequest
        {
            AttachStdin = attachStdin,
            Tty = request.Tty,
            Cmd = [.. request.Command],
            Env = request.Environment.Count > 0 ? [.. request.Environment.Select(e => $"{e.Key}={e.Value}")] : null,
            User = request.User,
            WorkingDir = request.WorkingDirectory,
        };
        var exec = await docker.PostJsonAsync($"containers/{container}/exec", create, DockerJson.Default.ExecCreateRequest, DockerJson.Default.IdResponse, ct);
        var body = DockerClient.Json(new ExecStartRequest(Detach: false, Tty: request.Tty), DockerJson.Default.ExecStartRequest);
        var connection = await docker.HijackAsync($"exec/{exec.Id}/start", body, ct);
        return new DockerSession(connection, request.Tty,
            (columns, rows, c) => docker.SendAsync(HttpMethod.Post, Query($"exec/{exec.Id}/resize", ("h", Int(rows)), ("w", Int(columns))), c),
            async c =>
            {
                var state = await docker.GetJsonAsync($"exec/{exec.Id}/json", DockerJson.Default.ExecInspect, c);
                return state.Running ? null : state.ExitCode;
            });
    }

    public async Task<IStreamSession> AttachAsync(WorkloadId id, int replica, CancellationToken ct)
    {
        var container = ContainerRequests.ContainerName(id, replica);
        var inspect = await docker.GetJsonAsync($"containers/{container}/json", DockerJson.Default.ContainerInspect, ct);
        var path = Query($"containers/{container}/attach", ("stream", "1"), ("stdin", "1"), ("stdout", "1"), ("stderr", "1"));
        var connection = await docker.HijackAsync(path, new ByteArrayContent([]), ct);
        return new DockerSession(connection, inspect.Config.Tty,
            (columns, rows, c) => docker.SendAsync(HttpMethod.Post, Query($"containers/{container}/resize", ("h", Int(rows)), ("w", Int(columns))), c),
            async c =>
            {
                var state = await docker.GetJsonAsync($"containers/{container}/json", DockerJson.Default.ContainerInspect, c);
                return state.State.Status is "running" or "paused" or "restarting" ? null : state.State.ExitCode;
            });
    }

    public async Task<string> CommitAsync(WorkloadId id, int replica, string reference, CancellationToken ct)
    {
        var container = ContainerRequests.ContainerName(id, replica);
        var inspect = await docker.GetJsonAsync($"containers/{container}/json", DockerJson.Default.ContainerInspect, ct);
        // The engine copies the container's labels into the image and cannot drop them; blank ours,
        // so a workload made from the snapshot never inherits this one's workload or tenant.
        var labels = (inspect.Config.Labels ?? []).Keys
            .Where(k => k.StartsWith(PlatformInfo.LabelPrefix, StringComparison.Ordinal))
            .ToDictionary(k => k, _ => "");
        var (repository, tag) = ImageReference.Split(reference);
        var path = Query("commit", ("container", container), ("repo", repository), ("tag", tag), ("pause", "true"));
        var committed = await docker.PostJsonAsync(path, new CommitConfig(labels), DockerJson.Default.CommitConfig, DockerJson.Default.IdResponse, ct);
        return committed.Id;
    }
}
