using System.Text.Json;

namespace Classcloud.Platform.Docker;

internal sealed partial class DockerPlatform
{
    public async Task<string> ImportImageAsync(Stream rootfsTar, string reference, IProgress<string>? progress, CancellationToken ct)
    {
        var (repository, tag) = ImageReference.Split(reference);
        using var request = new HttpRequestMessage(HttpMethod.Post, DockerClient.Url(Query("images/create", ("fromSrc", "-"), ("repo", repository), ("tag", tag))))
        {
            Content = TarContent(rootfsTar),
        };
        using var response = await docker.SendStreamingAsync(request, ct);
        await JsonLines.FollowProgressAsync(response, progress, ct);
        return (await InspectImageAsync(reference, ct))?.Id ?? throw new PlatformException($"The engine imported {reference} but does not list it.");
    }

    public async Task<string> BuildImageAsync(Stream contextTar, ImageBuildRequest build, IProgress<string>? progress, CancellationToken ct)
    {
        var path = Query("build", ("t", build.Tag), ("dockerfile", build.Dockerfile), ("rm", "1"), ("forcerm", "1"),
            ("nocache", build.NoCache ? "1" : null),
            ("buildargs", JsonSerializer.Serialize(build.BuildArgs.ToDictionary(), DockerJson.Default.DictionaryStringString)),
            ("labels", JsonSerializer.Serialize(build.Labels.ToDictionary(), DockerJson.Default.DictionaryStringString)));
        using var request = new HttpRequestMessage(HttpMethod.Post, DockerClient.Url(path)) { Content = TarContent(contextTar) };
        using var response = await docker.SendStreamingAsync(request, ct);
        var aux = await JsonLines.FollowProgressAsync(response, progress, ct);
        if (aux is { ValueKind: JsonValueKind.Object } a && a.TryGetProperty("ID", out var id) && id.GetString() is { } imageId)
        {
            return imageId;
        }
        return (await InspectImageAsync(build.Tag, ct))?.Id ?? throw new PlatformException($"The build of {build.Tag} reported no image.");
    }

    public async Task TagImageAsync(string source, string target, CancellationToken ct)
    {
        var (repository, tag) = ImageReference.Split(target);
        await docker.SendAsync(HttpMethod.Post, Query($"images/{source}/tag", ("repo", repository), ("tag", tag)), ct);
    }

    public async Task PushImageAsync(string reference, RegistryCredentials? credentials, IProgress<string>? progress, CancellationToken ct)
    {
        var (repository, tag) = ImageReference.Split(reference);
        using var request = new HttpRequestMessage(HttpMethod.Post, DockerClient.Url(Query($"images/{repository}/push", ("tag", tag))));
        request.Headers.Add("X-Registry-Auth", RegistryAuth(credentials));
        using var response = await docker.SendStreamingAsync(request, ct);
        await JsonLines.FollowProgressAsync(response, progress, ct);
    }

    public async Task PullImageAsync(string reference, RegistryCredentials? credentials, IProgress<string>? progress, CancellationToken ct)
    {
        var (repository, tag) = ImageReference.Split(reference);
        using var request = new HttpRequestMessage(HttpMethod.Post, DockerClient.Url(Query("images/create", ("fromImage", repository), ("tag", tag))));
        request.Headers.Add("X-Registry-Auth", RegistryAuth(credentials));
        using var response = await docker.SendStreamingAsync(request, ct);
        await JsonLines.FollowProgressAsync(response, progress, ct);
    }

    public async Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken ct)
    {
        ImageInspect image;
        try
        {
            image = await docker.GetJsonAsync($"images/{reference}/json", DockerJson.Default.ImageInspect, ct);
        }
        catch (PlatformNotFoundException)
        {
            return null;
        }
        return new ImageInfo(image.Id, image.RepoTags ?? [], image.RepoDigests ?? [], image.Size, image.Created,
            image.Config?.Labels ?? new Dictionary<string, string>());
    }

    public async Task<bool> RemoveImageAsync(string reference, bool force, CancellationToken ct)
    {
        try
        {
            await docker.SendAsync(HttpMethod.Delete, Query($"images/{reference}", ("force", force ? "1" : null)), ct);
            return true;
        }
        catch (PlatformNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The base64url JSON the engine expects in X-Registry-Auth; "{}" when there are no credentials.</summary>
    static string RegistryAuth(RegistryCredentials? c)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new AuthConfig(c?.Username, c?.Password, c?.ServerAddress), DockerJson.Default.AuthConfig);
        return Convert.ToBase64String(json).Replace('+', '-').Replace('/', '_');
    }

    static StreamContent TarContent(Stream tar)
    {
        var content = new StreamContent(tar);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
        return content;
    }
}
