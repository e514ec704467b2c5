using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Classcloud.Web.Admin;
using Classcloud.Web.Mail;
using Classcloud.Web.Privacy;
using Classcloud.Web.Tests.Assignments;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Tests.Privacy;

/// <summary>Issue 16: a person downloads everything about them as one ZIP, and erasing the account removes it everywhere.</summary>
public abstract class PersonalDataTests(ClasscloudHost host)
{
    [Fact]
    public async Task Export_is_one_streamed_zip_of_the_callers_records_with_scores_only_once_released()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var assignment = await AssignmentKit.CreateAsync(cast.Owner, course.Id, AssignmentKit.Body("Sum " + Guid.NewGuid().ToString("N")[..6]));
        var submission = await AssignmentKit.SubmissionAsync(host, assignment, cast.Author.Id, new Dictionary<string, string> { ["main.sh"] = "echo 3\n" }, score: 7);

        using (var zip = await ExportAsync(cast.Author))
        {
            Assert.Contains("posts.json", Read(zip, "README.txt"), StringComparison.Ordinal);
            Assert.Equal(cast.Author.Email, Json(zip, "profile.json").GetProperty("email").GetString());
            var posts = Json(zip, "posts.json").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).ToList();
            Assert.Contains(course.EveryonePost, posts);
            Assert.Contains(course.EducatorsPost, posts);
            Assert.DoesNotContain(course.Notice, posts); // the owner's notice is not the author's data
            Assert.Contains(Json(zip, "comments.json").EnumerateArray(), c => c.GetProperty("id").GetInt64() == course.Comment);
            Assert.Contains(Json(zip, "courses.json").GetProperty("enrolments").EnumerateArray(), e => e.GetProperty("courseId").GetInt64() == course.Id);
            var mine = Assert.Single(Json(zip, "submissions.json").EnumerateArray(), s => s.GetProperty("id").GetInt64() == submission);
            Assert.Equal(JsonValueKind.Null, mine.GetProperty("score").ValueKind); // not released: the course page does not show it either
            Assert.DoesNotContain(Json(zip, "grades.json").EnumerateArray(), g => g.GetProperty("assignmentId").GetInt64() == assignment);
            using var folder = zip.GetEntry($"submissions/{submission}.tar")!.Open();
            var tar = new System.Formats.Tar.TarReader(folder);
            Assert.Equal("main.sh", tar.GetNextEntry()!.Name);
        }

        await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/assignments/{assignment}/release", null));
        using (var zip = await ExportAsync(cast.Author))
        {
            var grade = Assert.Single(Json(zip, "grades.json").EnumerateArray(), g => g.GetProperty("assignmentId").GetInt64() == assignment);
            Assert.Equal(7, grade.GetProperty("score").GetDouble());
        }
        // Someone else's export has none of it.
        using (var other = await ExportAsync(cast.Member))
        {
            Assert.DoesNotContain(Json(other, "posts.json").EnumerateArray(), p => p.GetProperty("id").GetInt64() == course.EveryonePost);
            Assert.DoesNotContain(Json(other, "submissions.json").EnumerateArray(), s => s.GetProperty("id").GetInt64() == submission);
        }
    }

    [Fact]
    public async Task Deleting_an_owner_of_workspaces_and_projects_is_told_what_goes_then_erases_it_everywhere()
    {
        var user = await host.UserAsync(TestRole.Student);
        var stored = (await host.FindUserAsync(user.Email))!;
        var workspace = await WorkspaceRows.AddAsync(host, user.Id, name: "thesis-ws");
        await WorkspaceRows.SnapshotAsync(host, workspace);
        var project = $"e-{Guid.NewGuid():N}"[..20];
        await Api.CreatedAsync(user.Client.PostAsJsonAsync("/api/v1/projects", new { name = project, access = "public" }));
        await host.WithDbAsync(async db =>
        {
            db.Mail.Add(new OutboxMail { To = user.Email.ToUpperInvariant(), Subject = "Queued", Body = "b", CreatedAt = DateTime.UtcNow, NextAttemptAt = DateTime.UtcNow.AddYears(1) });
            return await db.SaveChangesAsync();
        });
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var assignment = await AssignmentKit.CreateAsync(cast.Owner, course.Id, AssignmentKit.Body("Erase " + Guid.NewGuid().ToString("N")[..6]));
        var submission = await AssignmentKit.SubmissionAsync(host, assignment, user.Id, new Dictionary<string, string> { ["main.sh"] = "echo 3\n" });
        var archiveKey = await host.WithDbAsync(db => db.Submissions.Where(s => s.Id == submission).Select(s => s.ArchiveKey).SingleAsync());

        var preview = await (await user.Client.GetAsync("/api/v1/me/deletion")).OkAsync<DeletionPreviewDto>();
        Assert.Equal("thesis-ws", Assert.Single(preview.Workspaces).Name);
        Assert.Equal(1, preview.Snapshots);
        Assert.Equal(project, Assert.Single(preview.Projects).Name);
        Assert.Equal(1, preview.Submissions);
        Assert.Empty(preview.Blocking);

        // Before issue 16 this was refused ("Delete your 1 workspaces first.").
        await (await user.Client.DeleteAsJsonAsync("/api/v1/me", new { password = user.Password, confirm = true })).StatusAsync(HttpStatusCode.NoContent);

        Assert.False(await host.UserExistsAsync(user.Email));
        Assert.Equal(0, await host.WithDbAsync(db => db.Workspaces.CountAsync(w => w.OwnerId == user.Id)));
        Assert.Equal(0, await host.WithDbAsync(db => db.WorkspaceSnapshots.CountAsync(s => s.OwnerId == user.Id)));
        Assert.Equal(0, await host.WithDbAsync(db => db.Projects.CountAsync(p => p.OwnerId == user.Id)));
        Assert.Equal(0, await host.WithDbAsync(db => db.Submissions.CountAsync(s => s.UserId == user.Id)));
        var upper = user.Email.ToUpperInvariant();
        Assert.Equal(0, await host.WithDbAsync(db => db.Mail.CountAsync(m => m.To == user.Email || m.To == upper)));
        var archive = host.Services.GetService(typeof(Classcloud.Web.Assignments.SubmissionArchive)) as Classcloud.Web.Assignments.SubmissionArchive;
        await Assert.ThrowsAnyAsync<IOException>(() => archive!.ReadAllAsync(archiveKey, CancellationToken.None));

        // The session ends with the account, and the audit log names a pseudonym only.
        await (await user.Client.GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        var pseudonym = AuditPseudonyms.Of(stored);
        var entries = await host.WithDbAsync(db => db.Audit.AsNoTracking()
            .Where(a => a.ActorId == user.Id || a.ActorEmail == user.Email || a.Target == user.Email || (a.Detail != null && a.Detail.Contains(user.Email))).CountAsync());
        Assert.Equal(0, entries);
        var kept = await host.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.ActorEmail == pseudonym).Select(a => a.Action).ToListAsync());
        Assert.Contains(AuditActions.SignUp, kept);
        Assert.Contains(AuditActions.Delete, kept);
        Assert.DoesNotContain(AuditActions.SignOut, kept);
    }

    static async Task<ZipArchive> ExportAsync(TestUser user)
    {
        using var response = await user.Client.GetAsync("/api/v1/me/export", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        // Streamed as it is made: no length is known up front.
        Assert.Null(response.Content.Headers.ContentLength);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
    }

    static string Read(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name);
        Assert.True(entry is not null, $"{name} is missing from the export: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    static JsonElement Json(ZipArchive zip, string name) => JsonDocument.Parse(Read(zip, name)).RootElement.Clone();
}

public sealed class SqlitePersonalDataTests(SqliteHost host) : PersonalDataTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresPersonalDataTests(PostgresHost host) : PersonalDataTests(host), IClassFixture<PostgresHost>;
