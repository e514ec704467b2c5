using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Classcloud.Platform;
using Classcloud.Web.Assignments;
using Classcloud.Web.Data;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Privacy;

/// <summary>
/// "Download my data" (issue 16; PIPA art. 35, GDPR art. 15/20): one ZIP, written straight to the response as
/// it is made, so a large export never sits in memory. JSON files per kind of record, the submitted folders as
/// they were archived, a README saying what is where, and — only when asked, because it takes a helper
/// container per workspace and can be large — each workspace's home folder as a tar, within
/// <see cref="PrivacyOptions.MaxHomeExportBytes"/> in all.
/// </summary>
public sealed class PersonalDataExport(
    ClasscloudDb db, PersonalDataRecords records, SubmissionArchive submissions, IContainerPlatform platform, HomeArchiver homes,
    WorkspaceNames names, IOptions<PrivacyOptions> options, ILogger<PersonalDataExport> log)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task WriteAsync(long userId, bool withHomes, Stream output, CancellationToken ct)
    {
        await using var stream = new AsyncOnlyStream(output);
        await using (var zip = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, ct))
        {
            await WriteEntriesAsync(zip, stream, userId, withHomes, ct);
        }
        await stream.FlushAsync(ct); // the central directory
    }

    async Task WriteEntriesAsync(ZipArchive zip, AsyncOnlyStream stream, long userId, bool withHomes, CancellationToken ct)
    {
        var notes = new List<string>();
        var entries = new Entries(zip, stream);
        await entries.JsonAsync("profile.json", await records.ProfileAsync(userId, ct), ct);
        await entries.JsonAsync("courses.json", await records.CoursesAsync(userId, ct), ct);
        await entries.JsonAsync("posts.json", await records.PostsAsync(userId, ct), ct);
        await entries.JsonAsync("comments.json", await records.CommentsAsync(userId, ct), ct);
        var submitted = await records.SubmissionsAsync(userId, ct);
        await entries.JsonAsync("submissions.json", submitted, ct);
        await entries.JsonAsync("grades.json", submitted.Where(s => s.Score is not null)
            .Select(s => new { s.CourseId, s.AssignmentId, s.Assignment, s.TakenAt, s.Score, s.MaxScore, s.Feedback }), ct);
        foreach (var s in submitted.Where(s => s.ArchiveKey.Length > 0))
        {
            await entries.FileAsync($"submissions/{s.Id}.tar", () => submissions.ReadAllAsync(s.ArchiveKey, ct), notes, ct);
        }
        await entries.JsonAsync("workspaces.json", await records.WorkspacesAsync(userId, ct), ct);
        await entries.JsonAsync("projects.json", await records.ProjectsAsync(userId, ct), ct);
        await entries.JsonAsync("activity.json", await records.ActivityAsync(userId, ct), ct);
        if (withHomes)
        {
            await HomesAsync(entries, userId, notes, ct);
        }
        await entries.TextAsync("README.txt", Readme(withHomes, notes), ct);
    }

    async Task HomesAsync(Entries entries, long userId, List<string> notes, CancellationToken ct)
    {
        if (!platform.Features.Enabled)
        {
            notes.Add("Workspace homes: the container platform is not enabled on this server, so there were none to copy.");
            return;
        }
        long budget = options.Value.MaxHomeExportBytes;
        var workspaces = await db.Workspaces.AsNoTracking().Where(w => w.OwnerId == userId && !w.Deleting).OrderBy(w => w.Id).ToListAsync(ct);
        foreach (var w in workspaces)
        {
            var file = Path.GetTempFileName();
            try
            {
                // A helper mounts the home volume read-only, so a running workspace is copied as it is now.
                await homes.ArchiveHomeAsync(w.Image, names.Volume(w), names.Tenant(w.OwnerId), names.Helper(w.Id), file, ct);
                var size = new FileInfo(file).Length;
                if (size > budget)
                {
                    notes.Add($"homes/{w.Id}.tar ({w.Name}) left out: {size / 1048576} MiB would pass the export's limit; ask an administrator.");
                    continue;
                }
                budget -= size;
                await entries.FileAsync($"homes/{w.Id}.tar", file, ct);
            }
            catch (Exception ex) when (ex is PlatformException or InvalidOperationException)
            {
                // One workspace that cannot be read (an image without tar, a home over HomeArchiver's limit) does not spoil the rest.
                log.LogWarning(ex, "Home of workspace {Workspace} not exported", w.Id);
                notes.Add($"homes/{w.Id}.tar ({w.Name}) could not be copied: {ex.Message}");
            }
            finally
            {
                File.Delete(file);
            }
        }
    }

    static string Readme(bool withHomes, List<string> notes)
    {
        var text = new StringBuilder()
            .AppendLine("Your data in Classcloud / Classcloud에 있는 내 데이터")
            .AppendLine()
            .AppendLine("profile.json      your account: name, nickname, e-mail, role, language, external sign-ins, access tokens (names only)")
            .AppendLine("courses.json      courses you own, teach or applied to, with your student number")
            .AppendLine("posts.json        posts you wrote, with their text (Markdown)")
            .AppendLine("comments.json     comments you wrote")
            .AppendLine("submissions.json  your submissions; scores and test results where the educator released them")
            .AppendLine("submissions/      each submitted folder as it was collected (<submission id>.tar)")
            .AppendLine("grades.json       your released scores, one line per submission")
            .AppendLine("workspaces.json   your workspaces and their snapshots")
            .AppendLine("projects.json     your deployed projects")
            .AppendLine("activity.json     what the audit log recorded of your actions (sign-ins, changes, addresses)")
            .AppendLine(withHomes ? "homes/            each workspace's home folder (<workspace id>.tar)" : "homes/            not included: ask for them with \"Include workspace home folders\"")
            .AppendLine()
            .AppendLine("Times are UTC (ISO 8601). 시각은 모두 UTC입니다.");
        if (notes.Count > 0)
        {
            text.AppendLine().AppendLine("Notes:");
            notes.ForEach(n => text.Append("- ").AppendLine(n));
        }
        return text.ToString();
    }

    /// <summary>Adds entries, sending each one's tail (held by <see cref="AsyncOnlyStream"/>) as soon as it is closed.</summary>
    sealed class Entries(ZipArchive zip, AsyncOnlyStream stream)
    {
        public async Task JsonAsync(string name, object value, CancellationToken ct)
        {
            await using (var target = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct))
            {
                await JsonSerializer.SerializeAsync(target, value, Json, ct);
            }
            await stream.DrainAsync(ct);
        }

        public async Task TextAsync(string name, string text, CancellationToken ct)
        {
            await using (var target = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct))
            {
                await target.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
            }
            await stream.DrainAsync(ct);
        }

        /// <summary>A file from disk, copied in pieces (a home can be large).</summary>
        public async Task FileAsync(string name, string path, CancellationToken ct)
        {
            await using (var target = await zip.CreateEntry(name, CompressionLevel.Fastest).OpenAsync(ct))
            await using (var source = File.OpenRead(path))
            {
                await source.CopyToAsync(target, ct);
            }
            await stream.DrainAsync(ct);
        }

        /// <summary>Bytes read from the server's files; a missing file becomes a note in the README instead.</summary>
        public async Task FileAsync(string name, Func<Task<byte[]>> read, List<string> notes, CancellationToken ct)
        {
            byte[] bytes;
            try
            {
                bytes = await read();
            }
            catch (IOException)
            {
                notes.Add($"{name} is missing from the server's files.");
                return;
            }
            await using (var target = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct))
            {
                await target.WriteAsync(bytes, ct);
            }
            await stream.DrainAsync(ct);
        }
    }
}
