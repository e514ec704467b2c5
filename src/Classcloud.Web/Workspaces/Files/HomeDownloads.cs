using Classcloud.Platform;
using Classcloud.Web.Hosting;

namespace Classcloud.Web.Workspaces.Files;

/// <summary>
/// A download ready to be sent: its name for the browser, its type, and the writer that streams it from the workspace
/// (the bytes are never held whole here). The writer throws if the program in the workspace failed part way, so the
/// response can be cut off instead of ending as a complete-looking but short file.
/// </summary>
public sealed record HomeDownload(string FileName, string ContentType, Func<Stream, CancellationToken, Task> WriteAsync);

/// <summary>
/// One file, or one folder as a tar archive, out of a running workspace's home: <c>cat</c> or <c>tar -c</c> run in the
/// workspace as its user, so a download reads only what that user can read there (a person in control could show it
/// on the screen as well).
/// </summary>
public sealed class HomeDownloads(IContainerPlatform platform, TimeProvider time)
{
    public async Task<Outcome<HomeDownload>> OpenAsync(HomeTarget target, string path, CancellationToken ct)
    {
        var absolute = HomePaths.InHome(target.Home, path);
        var stat = await platform.RunAsync(target.Workload, new ExecRequest
        {
            Command = ["stat", "-L", "-c", "%F", "--", absolute],
            User = HomeUploads.WorkspaceUser,
            MaxOutputBytes = 256,
        }, ct);
        var shown = path.Length == 0 ? "~" : "~/" + path;
        if (stat.ExitCode != 0)
        {
            return Problem.NotFound("There is no file or folder {0} in your home folder.", shown);
        }
        var kind = stat.Stdout.Trim();
        var name = path.Length == 0 ? "home" : path[(path.LastIndexOf('/') + 1)..];
        if (kind is "regular file" or "regular empty file")
        {
            return new HomeDownload(name, "application/octet-stream", (body, token) => StreamAsync(target, ["cat", "--", absolute], body, token));
        }
        if (kind == "directory")
        {
            // Named by its last segment inside the archive, as a person who packs a folder would.
            string[] command = path.Length == 0
                ? ["tar", "-c", "-f", "-", "-C", absolute, "."]
                : ["tar", "-c", "-f", "-", "-C", HomePaths.InHome(target.Home, path.Contains('/') ? path[..path.LastIndexOf('/')] : ""), "--", name];
            return new HomeDownload(name + ".tar", "application/x-tar", (body, token) => StreamAsync(target, command, body, token));
        }
        return Problem.BadRequest("{0} is neither a file nor a folder, so it cannot be downloaded.", shown);
    }

    async Task StreamAsync(HomeTarget target, string[] command, Stream body, CancellationToken ct)
    {
        await using var session = await platform.ExecAsync(target.Workload,
            new ExecRequest { Command = command, User = HomeUploads.WorkspaceUser, NoInput = true }, ct);
        var buffer = new byte[64 * 1024];
        using var errors = new MemoryStream();
        while (await session.ReadAsync(buffer, ct) is { Count: > 0 } read)
        {
            if (read.Stream == OutputStream.Stdout)
            {
                await body.WriteAsync(buffer.AsMemory(0, read.Count), ct);
            }
            else if (errors.Length < 4096)
            {
                errors.Write(buffer, 0, read.Count);
            }
        }
        var code = await session.ExitCodeAsync($"workspace {target.WorkspaceId}", time, ct);
        // tar's 1 means a file changed while it was read: the archive is whole, the file as it was at some moment.
        if (code != 0 && !(code == 1 && command[0] == "tar"))
        {
            throw new IOException($"'{command[0]}' in workspace {target.WorkspaceId} exited with {code}: {System.Text.Encoding.UTF8.GetString(errors.ToArray()).Trim()}");
        }
    }
}
