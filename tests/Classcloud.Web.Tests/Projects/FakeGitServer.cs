using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Classcloud.Web.Tests.Projects;

/// <summary>
/// A Git host on a loopback port: bare repositories served by <c>git http-backend</c> (Git's own smart HTTP, as a
/// CGI program behind a small Kestrel), so the platform clones over the same protocol as from GitHub. A
/// repository made with a token answers only requests carrying it (HTTP basic auth, as GitHub and GitLab take
/// deploy tokens).
/// </summary>
public sealed class FakeGitServer : IAsyncLifetime
{
    readonly string root = Path.Combine(Path.GetTempPath(), $"classcloud-fake-git-{Guid.NewGuid():N}");
    readonly Dictionary<string, string> tokens = new(StringComparer.Ordinal);
    WebApplication? app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests refused for a missing or wrong token.</summary>
    public int Refused { get; private set; }

    public string Url(string repository) => new Uri(BaseAddress, repository + ".git").ToString();

    /// <summary>A bare repository with one commit of <paramref name="files"/> on <paramref name="branch"/>; with a token it is private.</summary>
    public async Task<string> CreateAsync(string repository, string branch, IReadOnlyDictionary<string, string> files, string? token = null)
    {
        var bare = Path.Combine(root, repository + ".git");
        await GitAsync(root, "init", "--quiet", "--bare", "-b", branch, bare);
        await GitAsync(root, "clone", "--quiet", bare, Work(repository));
        var commit = await CommitAsync(repository, branch, files, "first");
        if (token is not null)
        {
            tokens[repository] = token;
        }
        return commit;
    }

    /// <summary>Commits the files (added or replaced) on the branch and pushes; returns the commit.</summary>
    public async Task<string> CommitAsync(string repository, string branch, IReadOnlyDictionary<string, string> files, string message)
    {
        var work = Work(repository);
        await GitAsync(work, "checkout", "--quiet", "-B", branch);
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(work, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, text);
        }
        await GitAsync(work, "add", "-A");
        await GitAsync(work, "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "commit", "--quiet", "-m", message);
        await GitAsync(work, "push", "--quiet", "origin", $"HEAD:refs/heads/{branch}");
        return (await GitAsync(work, "rev-parse", "HEAD")).Trim();
    }

    string Work(string repository) => Path.Combine(root, "work", repository);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(root);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        app = builder.Build();
        app.Run(ServeAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    async Task ServeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        var repository = path.TrimStart('/').Split(".git", 2)[0];
        if (tokens.TryGetValue(repository, out var token)
            && http.Request.Headers.Authorization.ToString() is var auth
            && !(auth.StartsWith("Basic ", StringComparison.Ordinal) && Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..])).EndsWith(":" + token, StringComparison.Ordinal)))
        {
            Refused++;
            http.Response.StatusCode = 401;
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"git\"";
            return;
        }
        var start = new ProcessStartInfo("git", ["http-backend"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["GIT_PROJECT_ROOT"] = root;
        start.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        start.Environment["PATH_INFO"] = path;
        start.Environment["REQUEST_METHOD"] = http.Request.Method;
        start.Environment["QUERY_STRING"] = http.Request.QueryString.Value?.TrimStart('?') ?? "";
        start.Environment["CONTENT_TYPE"] = http.Request.ContentType ?? "";
        start.Environment["REMOTE_ADDR"] = "127.0.0.1";
        if (http.Request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            start.Environment["HTTP_CONTENT_ENCODING"] = encoding;
        }
        if (http.Request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol)
        {
            start.Environment["GIT_PROTOCOL"] = protocol;
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await http.Request.Body.CopyToAsync(process.StandardInput.BaseStream);
        process.StandardInput.Close();
        using var output = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        await stderr;
        // A CGI answer: header lines, an empty line, the body.
        var bytes = output.ToArray();
        var end = IndexOf(bytes, "\r\n\r\n"u8) is var crlf and >= 0 ? (crlf, 4) : (IndexOf(bytes, "\n\n"u8), 2);
        var head = Encoding.ASCII.GetString(bytes, 0, Math.Max(end.Item1, 0));
        foreach (var line in head.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon], line[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                http.Response.Headers.Append(name, value);
            }
        }
        var bodyStart = end.Item1 < 0 ? 0 : end.Item1 + end.Item2;
        await http.Response.Body.WriteAsync(bytes.AsMemory(bodyStart));
    }

    static int IndexOf(byte[] data, ReadOnlySpan<byte> pattern) => data.AsSpan().IndexOf(pattern);

    static async Task<string> GitAsync(string directory, params string[] arguments)
    {
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo("git", arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {await stderr}");
        return await stdout;
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
        Directory.Delete(root, recursive: true);
    }
}
