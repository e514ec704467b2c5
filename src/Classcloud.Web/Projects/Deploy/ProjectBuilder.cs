using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Classcloud.Platform;
using Classcloud.Web.Data;
using Classcloud.Web.Projects.Git;
using Classcloud.Web.Projects.Serve;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Projects.Deploy;

/// <summary>
/// One build: the ZIP becomes a build context (with a generated Dockerfile unless it has its own), the engine
/// builds it (unprivileged, under a time limit, its output in the build log), the image is pushed as the next
/// revision, the project switches to it, and revisions beyond the last N go.
/// </summary>
public sealed class ProjectBuilder(
    ClasscloudDb db, IContainerPlatform platform, BuildQueue queue, SourceArchive sources, GitCloner git, ProjectNames names, ProjectRuntime runtime,
    IOptions<ProjectsOptions> options, TimeProvider time, ILogger<ProjectBuilder> log)
{
    IContainerPlatform Platform => platform;

    public async Task BuildAsync(long buildId, CancellationToken ct)
    {
        var build = await db.ProjectBuilds.SingleOrDefaultAsync(b => b.Id == buildId, ct);
        var project = build is null ? null : await db.Projects.SingleOrDefaultAsync(p => p.Id == build.ProjectId, ct);
        if (build is null || project is null)
        {
            return;
        }
        build.Status = BuildStates.Building;
        await db.SaveChangesAsync(ct);
        queue.Begin(build.Id);
        var context = Path.Combine(Path.GetTempPath(), $"classcloud-build-{build.Id}-{Guid.NewGuid():N}.tar");
        try
        {
            var revision = await RunAsync(project, build, context, ct);
            build.RevisionNumber = revision.Number;
            queue.Append(build.Id, $"==> Revision {revision.Number}: {revision.Image}");
            // Succeeded means it runs: whoever follows the log may send the app a request the moment it ends.
            await runtime.DeployAsync(project, revision, ct);
            queue.Append(build.Id, $"==> Revision {revision.Number} is running");
            build.Status = BuildStates.Succeeded;
            await FinishAsync(build, ct);
            await PruneAsync(project, ct);
        }
        catch (Exception ex) when (ex is PlatformException or InvalidDataException or IOException or ArgumentException or BuildFailed
            || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var reason = ex is OperationCanceledException ? $"The build took longer than {options.Value.BuildTimeout.TotalMinutes:0} minutes and was stopped." : ex.Message;
            queue.Append(build.Id, "==> Failed: " + reason);
            build.Status = BuildStates.Failed;
            await FinishAsync(build, CancellationToken.None);
            log.LogInformation("Build {Build} of project {Project} failed: {Reason}", build.Id, project.Id, reason);
        }
        finally
        {
            File.Delete(context);
            queue.End(build.Id);
        }
    }

    async Task<ProjectRevision> RunAsync(Project project, ProjectBuild build, string contextPath, CancellationToken ct)
    {
        var o = options.Value;
        if (project.GitUrl is not null)
        {
            // Each build takes the branch as it is now (a webhook's push, or a deploy by hand).
            build.Commit = await git.FetchAsync(project, line => queue.Append(build.Id, line), ct);
            await db.SaveChangesAsync(ct);
        }
        var source = sources.PathOf(project.Id);
        if (project.SourceUploadedAt is null || !File.Exists(source))
        {
            throw new BuildFailed("Upload the source (a ZIP) before deploying.");
        }
        var number = (await db.ProjectRevisions.Where(r => r.ProjectId == project.Id).MaxAsync(r => (int?)r.Number, ct) ?? 0) + 1;
        var image = names.Image(project, number);
        string template;
        await using (var context = File.Create(contextPath))
        {
            template = await WriteContextAsync(project, build, source, context, ct);
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(o.BuildTimeout);
        var progress = new LogProgress(queue, build.Id);
        queue.Append(build.Id, $"==> Building {image}");
        await using (var context = File.OpenRead(contextPath))
        {
            await Platform.BuildImageAsync(context, new ImageBuildRequest
            {
                Tag = image,
                Dockerfile = template == Templates.Dockerfile ? "Dockerfile" : Templates.GeneratedDockerfile,
                Labels = new Dictionary<string, string> { [ProjectNames.ProjectLabel] = project.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            }, progress, limit.Token);
        }
        queue.Append(build.Id, "==> Pushing to the registry");
        await Platform.PushImageAsync(image, names.CredentialsFor(image), null, limit.Token);
        var info = await Platform.InspectImageAsync(image, ct);
        var revision = new ProjectRevision
        {
            ProjectId = project.Id, Number = number, BuildId = build.Id, Image = image, Template = template,
            Digest = info?.Digests.Select(d => d[(d.IndexOf('@', StringComparison.Ordinal) + 1)..]).FirstOrDefault(), CreatedAt = Now,
        };
        db.ProjectRevisions.Add(revision);
        await db.SaveChangesAsync(ct);
        project.CurrentRevisionId = revision.Id;
        return revision;
    }

    /// <summary>Writes the build context as a tar (the ZIP's files, its common top folder stripped) and returns the template.</summary>
    async Task<string> WriteContextAsync(Project project, ProjectBuild build, string source, Stream output, CancellationToken ct)
    {
        var o = options.Value;
        await using var file = File.OpenRead(source);
        using var zip = new ZipArchive(file, ZipArchiveMode.Read);
        var root = Templates.CommonRoot(zip);
        var entries = zip.Entries.Where(e => !e.FullName.EndsWith('/') && e.FullName.Length > root.Length)
            .Select(e => (Path: e.FullName.Replace('\\', '/')[root.Length..], Entry: e)).ToList();
        var top = entries.Select(e => e.Path).Where(p => !p.Contains('/', StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var (detected, explanation) = Templates.Detect(top, name => Read(entries.First(e => e.Path == name).Entry));
        var template = project.Template ?? detected ?? throw new BuildFailed(explanation);
        build.Template = template;
        build.Explanation = project.Template is null ? explanation : $"The project asks for the {template} template.";
        await db.SaveChangesAsync(ct);
        queue.Append(build.Id, $"==> Template {template}: {build.Explanation}");
        await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        long total = 0;
        foreach (var (path, entry) in entries)
        {
            await using var data = entry.Open();
            var bounded = new MemoryStream();
            // The sizes in a ZIP's directory can lie; the bytes really read are what counts.
            var buffer = new byte[81920];
            int read;
            while ((read = await data.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > o.MaxExpandedBytes)
                {
                    throw new BuildFailed($"Unpacked, the source is larger than {o.MaxExpandedBytes / (1024 * 1024)} MB.");
                }
                bounded.Write(buffer, 0, read);
            }
            bounded.Position = 0;
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = bounded, Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead }, ct);
        }
        if (template != Templates.Dockerfile)
        {
            var dockerfile = Templates.DockerfileFor(template, names.BaseImage(template), top, o.AppPort);
            queue.Append(build.Id, "==> Generated Dockerfile:\n" + dockerfile);
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, Templates.GeneratedDockerfile)
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            }, ct);
        }
        else if (!top.Contains("Dockerfile"))
        {
            throw new BuildFailed("The dockerfile template needs a Dockerfile at the top of the ZIP.");
        }
        return template;
    }

    static string? Read(ZipArchiveEntry entry)
    {
        if (entry.Length > 64 * 1024)
        {
            return null;
        }
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    async Task FinishAsync(ProjectBuild build, CancellationToken ct)
    {
        var text = queue.Live(build.Id) ?? "";
        build.Log = text.Length > ProjectLimits.Log ? text[^ProjectLimits.Log..] : text;
        build.FinishedAt = Now;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Keeps the last <see cref="ProjectsOptions.KeepRevisions"/> revisions (and the current one); older images leave the engine.</summary>
    async Task PruneAsync(Project project, CancellationToken ct)
    {
        var old = await db.ProjectRevisions.Where(r => r.ProjectId == project.Id && r.Id != project.CurrentRevisionId)
            .OrderByDescending(r => r.Number).Skip(Math.Max(options.Value.KeepRevisions - 1, 0)).ToListAsync(ct);
        foreach (var revision in old)
        {
            try
            {
                await Platform.RemoveImageAsync(revision.Image, force: false, ct);
            }
            catch (PlatformException ex)
            {
                log.LogInformation(ex, "Old revision image {Image} stays on the engine", revision.Image);
            }
            db.ProjectRevisions.Remove(revision);
        }
        await db.SaveChangesAsync(ct);
    }

    DateTime Now => time.GetUtcNow().UtcDateTime;

    sealed class BuildFailed(string message) : Exception(message);

    /// <summary>Appends at once, on the engine's thread (Progress&lt;T&gt; would post later, after the log is saved).</summary>
    sealed class LogProgress(BuildQueue queue, long buildId) : IProgress<string>
    {
        public void Report(string value) => queue.Append(buildId, value);
    }
}
