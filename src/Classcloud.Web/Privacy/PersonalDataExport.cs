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
/// <see cref="PrivacyOptions.MaxHomeExportBytes"/> in all (<see cref="HomeExport"/>).
/// </summary>
public sealed class PersonalDataExport(PersonalDataRecords records, SubmissionArchive submissions, HomeExport homes)
{
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
        var entries = new ExportEntries(zip, stream);
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
            await homes.WriteAsync(entries, userId, notes, ct);
        }
        await entries.TextAsync("README.txt", Readme(withHomes, notes), ct);
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
}
