using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Classcloud.Platform;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Assignments;

/// <summary>
/// Moves assignment folders between Classcloud and the course workspaces' home volumes: writes the folder
/// (README.md with the description, the starter files) into each member's course workspace once, and takes a
/// folder back as an immutable submission (the deadline, "submit now", "collect now").
/// </summary>
public sealed class Collector(ClasscloudDb db, AssignmentContainers containers, SubmissionArchive archive, TimeProvider clock,
    IOptions<AssignmentsOptions> options, ILogger<Collector> log)
{
    /// <summary>The course workspace a student's folder is read from: the newest one that received it, else the newest.</summary>
    public async Task<Workspace?> WorkspaceOfAsync(Assignment a, long userId, CancellationToken ct)
    {
        var candidates = await db.Workspaces.Where(w => w.CourseId == a.CourseId && w.OwnerId == userId && !w.Deleting && w.State != WorkspaceState.Creating)
            .OrderByDescending(w => w.Id).ToListAsync(ct);
        var delivered = await db.AssignmentDeliveries.Where(d => d.AssignmentId == a.Id && d.Error == null).Select(d => d.WorkspaceId).ToListAsync(ct);
        return candidates.FirstOrDefault(w => delivered.Contains(w.Id)) ?? candidates.FirstOrDefault();
    }

    /// <summary>Takes the folder now; null when the student has no course workspace to take it from.</summary>
    public async Task<Submission?> CollectAsync(Assignment a, long userId, string source, CancellationToken ct)
    {
        if (await WorkspaceOfAsync(a, userId, ct) is not { } workspace)
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var temp = Path.GetTempFileName();
        ArchivedFolder stored;
        string? failure = null;
        try
        {
            bool complete;
            await using (var file = File.Create(temp))
            {
                try
                {
                    complete = await containers.ReadFolderAsync(workspace, a.Slug, file, options.Value.MaxSubmissionBytes, ct);
                }
                catch (PlatformException ex)
                {
                    // A missing folder is a submission too (an empty one), so the educator sees it was looked for.
                    failure = ex.Message;
                    file.SetLength(0);
                    complete = true;
                }
            }
            await using var read = File.OpenRead(temp);
            stored = await archive.StoreAsync(read, !complete, ct);
        }
        finally
        {
            File.Delete(temp);
        }
        var due = await DueForAsync(a, userId, ct);
        var submission = new Submission
        {
            AssignmentId = a.Id, UserId = userId, WorkspaceId = workspace.Id, Source = source, TakenAt = now,
            // The deadline's own collection stands for the folder at the due time, even when it runs late (a restart).
            Late = source != SubmissionSources.Deadline && now > due,
            ContentHash = stored.ContentHash, FilesJson = JsonSerializer.Serialize(stored.Files, JsonSerializerOptions.Web),
            ArchiveKey = stored.Key, SizeBytes = stored.SizeBytes,
            Note = Trim(string.Join(" ", new[] { failure, stored.Note }.Where(n => n is not null))),
            MaxScore = await db.AssignmentTests.Where(t => t.AssignmentId == a.Id).SumAsync(t => t.Points, ct),
        };
        db.Submissions.Add(submission);
        await db.SaveChangesAsync(ct);
        log.LogInformation("Collected assignment {Assignment} of user {User} from workspace {Workspace} ({Source}): {Files} entries", a.Id, userId, workspace.Id, source, stored.Files.Count);
        return submission;
    }

    /// <summary>The student's due time: their extension's, else the assignment's.</summary>
    public async Task<DateTime> DueForAsync(Assignment a, long userId, CancellationToken ct) =>
        await db.AssignmentExtensions.Where(e => e.AssignmentId == a.Id && e.UserId == userId).Select(e => (DateTime?)e.DueAt).SingleOrDefaultAsync(ct) ?? a.DueAt;

    /// <summary>Writes the folder into every course workspace of the course's people that has not got it yet.</summary>
    public async Task<int> DeliverAsync(Assignment a, CancellationToken ct)
    {
        var course = await db.Courses.SingleAsync(c => c.Id == a.CourseId, ct);
        var people = await db.Enrolments.Where(e => e.CourseId == a.CourseId && e.Status == EnrolmentStatus.Accepted).Select(e => e.UserId)
            .Concat(db.CoEducators.Where(c => c.CourseId == a.CourseId).Select(c => c.UserId)).ToListAsync(ct);
        people.Add(course.OwnerId);
        var done = await db.AssignmentDeliveries.Where(d => d.AssignmentId == a.Id && d.Error == null).Select(d => d.WorkspaceId).ToListAsync(ct);
        var targets = await db.Workspaces.Where(w => w.CourseId == a.CourseId && people.Contains(w.OwnerId) && !w.Deleting
            && w.State != WorkspaceState.Creating && !done.Contains(w.Id)).ToListAsync(ct);
        if (targets.Count == 0)
        {
            return 0;
        }
        var tar = FolderTar(a);
        var delivered = 0;
        foreach (var workspace in targets)
        {
            string? error = null;
            try
            {
                await containers.WriteFolderAsync(workspace, a.Slug, tar, ct);
                delivered++;
            }
            catch (Exception ex) when (ex is PlatformException or ArgumentException)
            {
                error = Trim(ex.Message);
                log.LogWarning(ex, "Writing assignment {Assignment} into workspace {Workspace} failed", a.Id, workspace.Id);
            }
            var row = await db.AssignmentDeliveries.SingleOrDefaultAsync(d => d.AssignmentId == a.Id && d.WorkspaceId == workspace.Id, ct);
            if (row is null)
            {
                db.AssignmentDeliveries.Add(row = new AssignmentDelivery { AssignmentId = a.Id, WorkspaceId = workspace.Id });
            }
            row.DeliveredAt = clock.GetUtcNow().UtcDateTime;
            row.Error = error;
            await db.SaveChangesAsync(ct);
        }
        return delivered;
    }

    /// <summary>README.md (the description) and the starter files as a tar; a starter README.md replaces the generated one.</summary>
    public static byte[] FolderTar(Assignment a)
    {
        var files = JsonSerializer.Deserialize<List<StarterFile>>(a.StarterFilesJson, JsonSerializerOptions.Web) ?? [];
        if (!files.Any(f => f.Path == "README.md"))
        {
            files.Insert(0, new StarterFile("README.md", $"# {a.Title}\n\n{a.Description}\n"));
        }
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            var dirs = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var parts = file.Path!.Split('/');
                for (var i = 1; i < parts.Length; i++)
                {
                    var dir = string.Join('/', parts[..i]) + "/";
                    if (dirs.Add(dir))
                    {
                        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, dir) { Mode = (UnixFileMode)0b111_101_101 });
                    }
                }
                var mode = file.Path.EndsWith(".sh", StringComparison.Ordinal) ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100;
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, file.Path) { Mode = mode, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(file.Content ?? "")) });
            }
        }
        return output.ToArray();
    }

    static string? Trim(string? text) => string.IsNullOrEmpty(text) ? null : text.Length > AssignmentLimits.Note ? text[..AssignmentLimits.Note] : text;
}
