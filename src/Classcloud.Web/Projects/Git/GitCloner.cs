using System.IO.Compression;
using System.Text;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Projects.Deploy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Projects.Git;

/// <summary>
/// Fetches a project's Git source: a shallow clone of one branch under a time limit and a size limit, then its
/// files (not .git, no symbolic links) become the project's source ZIP, so the build reads a Git source exactly
/// like an uploaded one. Submodules are fetched only from the repository's own host.
/// </summary>
public sealed class GitCloner(SourceArchive sources, GitAddresses addresses, IDataProtectionProvider protection, IOptions<ProjectsOptions> options)
{
    /// <summary>The branch (the remote's default when none is asked) and its commit, without cloning: the source form checks with it.</summary>
    public async Task<(string Branch, string Commit)> ProbeAsync(string url, string? branch, string? user, string? protectedKey, CancellationToken ct)
    {
        var home = Scratch();
        try
        {
            var run = await RunnerAsync(url, user, protectedKey, home, ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(TimeSpan.FromSeconds(30));
            var refs = branch is null ? new[] { "HEAD" } : ["refs/heads/" + branch];
            var (code, output) = await run.RunAsync(["ls-remote", "--symref", "--", url, .. refs], null, null, null, limit.Token);
            if (code != 0)
            {
                throw new GitSourceException("The repository could not be read: " + LastLine(output));
            }
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var target = branch is null
                ? lines.Select(l => l.Split('\t')).FirstOrDefault(p => p.Length == 2 && p[1] == "HEAD" && p[0].StartsWith("ref: refs/heads/", StringComparison.Ordinal))?[0]["ref: refs/heads/".Length..]
                : branch;
            var commit = lines.Select(l => l.Split('\t')).FirstOrDefault(p => p.Length == 2 && p[1] == (branch is null ? "HEAD" : "refs/heads/" + branch)
                && !p[0].StartsWith("ref:", StringComparison.Ordinal))?[0];
            return target is null || commit is null
                ? throw new GitSourceException(branch is null ? "The repository has no default branch." : $"The repository has no branch {branch}.")
                : (target, commit);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new GitSourceException("The repository did not answer within 30 seconds.");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>Clones the project's branch and replaces its source ZIP; returns the commit.</summary>
    public async Task<string> FetchAsync(Project project, Action<string> log, CancellationToken ct)
    {
        var o = options.Value;
        var url = project.GitUrl ?? throw new GitSourceException("The project has no Git source.");
        var home = Scratch();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(o.GitTimeout);
        try
        {
            var run = await RunnerAsync(url, project.GitDeployUser, project.GitDeployKey, home, limit.Token);
            var dir = Path.Combine(home, "src");
            var maxBytes = o.MaxExpandedBytes + o.MaxSourceBytes;
            bool TooBig() => SizeOf(new DirectoryInfo(dir)) > maxBytes;
            log($"==> Cloning {url}{(project.GitBranch is { } b ? $" (branch {b})" : "")}");
            var branch = project.GitBranch is { } asked ? new[] { "--branch", asked } : [];
            var (code, output) = await run.RunAsync(["clone", "--depth", "1", "--single-branch", "--no-tags", .. branch, "--", url, dir], null, log, TooBig, limit.Token);
            if (code != 0)
            {
                throw new GitSourceException("git clone failed: " + LastLine(output));
            }
            var commit = (await run.RunAsync(["rev-parse", "HEAD"], dir, null, null, limit.Token)).Output.Trim();
            log($"==> Commit {commit}");
            await SubmodulesAsync(run, new Uri(url), dir, log, TooBig, limit.Token);
            await PackAsync(project.Id, dir, log, limit.Token);
            return commit;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new GitSourceException($"Fetching the repository took longer than {o.GitTimeout.TotalSeconds:0} seconds; git was stopped.");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>A submodule on another host is skipped: the deploy key is for this host only, and another host was never vetted.</summary>
    static async Task SubmodulesAsync(GitRun run, Uri repository, string dir, Action<string> log, Func<bool> tooBig, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(dir, ".gitmodules")))
        {
            return;
        }
        var (_, text) = await run.RunAsync(["config", "-f", ".gitmodules", "--get-regexp", @"^submodule\..*\.(path|url)$"], dir, null, null, ct);
        var modules = new Dictionary<string, (string? Path, string? Url)>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var key = space > 0 ? line[..space] : line;
            var dot = key.LastIndexOf('.');
            if (space < 0 || dot <= "submodule.".Length)
            {
                continue;
            }
            var name = key["submodule.".Length..dot];
            var m = modules.GetValueOrDefault(name);
            modules[name] = key[(dot + 1)..] == "path" ? (line[(space + 1)..], m.Url) : (m.Path, line[(space + 1)..]);
        }
        foreach (var (path, url) in modules.Values)
        {
            if (path is null || url is null)
            {
                continue;
            }
            var resolved = url.StartsWith("./", StringComparison.Ordinal) || url.StartsWith("../", StringComparison.Ordinal)
                ? new Uri(new Uri(repository.AbsoluteUri.TrimEnd('/') + "/"), url) : Uri.TryCreate(url, UriKind.Absolute, out var u) ? u : null;
            if (resolved is null || resolved.Scheme != repository.Scheme || !string.Equals(resolved.Authority, repository.Authority, StringComparison.OrdinalIgnoreCase))
            {
                log($"==> Submodule {path} skipped: {url} is not on the repository's host.");
                continue;
            }
            var (code, output) = await run.RunAsync(["submodule", "update", "--init", "--depth", "1", "--", path], dir, log, tooBig, ct);
            if (code != 0)
            {
                throw new GitSourceException($"Submodule {path} could not be fetched: {LastLine(output)}");
            }
        }
    }

    /// <summary>The working tree (without .git and links, within the ZIP limits) becomes the source ZIP.</summary>
    async Task PackAsync(long projectId, string dir, Action<string> log, CancellationToken ct)
    {
        var o = options.Value;
        var target = sources.PathOf(projectId);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + ".git-new";
        long files = 0, bytes = 0;
        try
        {
            await using (var stream = File.Create(temp))
            await using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                foreach (var file in Files(new DirectoryInfo(dir), log))
                {
                    files++;
                    bytes += file.Length;
                    if (files > o.MaxFiles || bytes > o.MaxExpandedBytes)
                    {
                        throw new GitSourceException($"The repository holds more than {o.MaxFiles} files or {o.MaxExpandedBytes / 1024} KB.");
                    }
                    var entry = zip.CreateEntry(Path.GetRelativePath(dir, file.FullName).Replace('\\', '/'), CompressionLevel.Fastest);
                    await using var from = file.OpenRead();
                    await using var to = await entry.OpenAsync(ct);
                    await from.CopyToAsync(to, ct);
                }
            }
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            // A refused or stopped packing leaves the previous source as it was.
            File.Delete(temp);
        }
        log($"==> {files} files, {bytes / 1024} KB");
    }

    static IEnumerable<FileInfo> Files(DirectoryInfo dir, Action<string> log)
    {
        foreach (var entry in dir.EnumerateFileSystemInfos())
        {
            if (entry.Name == ".git")
            {
                continue;
            }
            if (entry.LinkTarget is not null)
            {
                log($"==> {entry.Name}: a symbolic link, left out");
                continue;
            }
            if (entry is DirectoryInfo child)
            {
                foreach (var file in Files(child, log))
                {
                    yield return file;
                }
            }
            else if (entry is FileInfo file)
            {
                yield return file;
            }
        }
    }

    static long SizeOf(DirectoryInfo dir)
    {
        try
        {
            return dir.Exists ? dir.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }).Sum(f => f.Length) : 0;
        }
        catch (IOException)
        {
            return 0; // files come and go while git works; the next look counts again
        }
    }

    async Task<GitRun> RunnerAsync(string url, string? user, string? protectedKey, string home, CancellationToken ct)
    {
        var o = options.Value;
        if (GitRules.CheckUrl(url, o.GitInsecureHosts) is { } bad)
        {
            throw new GitSourceException(bad);
        }
        var uri = new Uri(url);
        var pin = await addresses.PinAsync(uri, o.GitInsecureHosts, ct);
        // Every redirect, helper, hook and local path is off: git fetches from this URL and nothing else.
        var config = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["http.followRedirects"] = "false",
            ["core.symlinks"] = "false",
            ["core.hooksPath"] = "/dev/null",
            ["core.fsmonitor"] = "false",
            ["protocol.file.allow"] = "never",
            ["credential.helper"] = "",
            ["submodule.recurse"] = "false",
            ["advice.detachedHead"] = "false",
        };
        if (pin is not null)
        {
            config["http.curloptResolve"] = pin;
        }
        if (protectedKey is not null)
        {
            var key = protection.CreateProtector(WorkloadDefinition.SecretPurpose).Unprotect(protectedKey);
            config["http.extraHeader"] = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user ?? "classcloud"}:{key}"));
        }
        return new GitRun(o.GitCommand, config, uri.Scheme == Uri.UriSchemeHttp ? "http:https" : "https", home);
    }

    static string Scratch()
    {
        var home = Path.Combine(Path.GetTempPath(), $"classcloud-git-{Guid.NewGuid():N}");
        Directory.CreateDirectory(home);
        return home;
    }

    static string LastLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";
}
