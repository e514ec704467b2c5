using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Admin.Storage;
using Classcloud.Web.Projects;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Admin;

/// <summary>
/// The administrators' storage and images API (issue 16) on real rows, without the engine: sizes per user from
/// snapshots and attachments, images with owner and use, and deletes refused while an image is in use.
/// </summary>
public abstract class StorageApiTests(ClasscloudHost host)
{
    [Fact]
    public async Task Storage_lists_each_users_snapshots_and_attachments_largest_first()
    {
        var admin = await host.AdminAsync();
        var student = await host.UserAsync(TestRole.Student);
        var educator = await host.UserAsync(TestRole.Educator);
        var workspace = await WorkspaceRows.AddAsync(host, student.Id);
        var snapshot = await WorkspaceRows.SnapshotAsync(host, workspace);
        await host.WithDbAsync(db => db.WorkspaceSnapshots.Where(s => s.Id == snapshot).ExecuteUpdateAsync(s => s.SetProperty(x => x.SizeBytes, 5_000_000L)));
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Storage " + Guid.NewGuid().ToString("N")[..6], description = "2026-1" })))
            .GetProperty("id").GetInt64();
        var notice = await CourseCast.PostAsync(educator, course, "notice", "Files", "everyone");
        await CourseCast.AttachAsync(educator, notice, "notes.txt", "hello"u8.ToArray());

        var report = await (await admin.Client.GetAsync("/api/v1/admin/storage")).OkAsync<StorageDto>();

        Assert.False(report.VolumeSizesKnown); // no engine on this host
        var mine = Assert.Single(report.Users, u => u.UserId == student.Id);
        Assert.Equal((student.Email, 1, (long?)null, 1, 5_000_000L, 0, 0L, 5_000_000L),
            (mine.Email, mine.Volumes, mine.VolumeBytes, mine.Snapshots, mine.SnapshotBytes, mine.Attachments, mine.AttachmentBytes, mine.TotalBytes));
        var theirs = Assert.Single(report.Users, u => u.UserId == educator.Id);
        Assert.Equal((1, 5L, 5L), (theirs.Attachments, theirs.AttachmentBytes, theirs.TotalBytes));
        Assert.True(report.Users.ToList().IndexOf(mine) < report.Users.ToList().IndexOf(theirs), "largest first");
        Assert.True(report.TotalBytes >= 5_000_005L);
    }

    [Fact]
    public async Task Images_show_owner_size_and_use_and_an_image_in_use_is_not_deleted()
    {
        var admin = await host.AdminAsync();
        var student = await host.UserAsync(TestRole.Student);
        var source = await WorkspaceRows.AddAsync(host, student.Id, name: "Lab");
        var used = await WorkspaceRows.SnapshotAsync(host, source);
        var made = await WorkspaceRows.AddAsync(host, student.Id);
        await host.WithDbAsync(db => db.Workspaces.Where(w => w.Id == made).ExecuteUpdateAsync(s => s.SetProperty(w => w.SnapshotId, (long?)used)));
        var free = await WorkspaceRows.SnapshotAsync(host, source);
        var (project, current, old) = await ProjectWithRevisionsAsync(student.Id);

        var images = await (await admin.Client.GetAsync("/api/v1/admin/images")).OkAsync<ImagesDto>();

        var usedImage = Assert.Single(images.Items, i => i.Id == $"snapshot-{used}");
        Assert.Equal(("snapshot", (long?)student.Id, student.Email, "Lab #1", (long?)1234), (usedImage.Kind, usedImage.OwnerId, usedImage.OwnerEmail, usedImage.Name, usedImage.SizeBytes));
        Assert.Equal("A workspace is made from this snapshot.", usedImage.InUse);
        Assert.Null(Assert.Single(images.Items, i => i.Id == $"snapshot-{free}").InUse);
        var running = Assert.Single(images.Items, i => i.Id == $"revision-{current}");
        Assert.Equal(("revision", (long?)student.Id, $"{project} #2"), (running.Kind, running.OwnerId, running.Name));
        Assert.Equal("The project runs this revision.", running.InUse);
        Assert.Null(Assert.Single(images.Items, i => i.Id == $"revision-{old}").InUse);

        var refused = await (await admin.Client.DeleteAsync($"/api/v1/admin/images/snapshot-{used}")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("A workspace is made from this snapshot.", refused.Detail);
        refused = await (await admin.Client.DeleteAsync($"/api/v1/admin/images/revision-{current}")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("The project runs this revision.", refused.Detail);
        // Without the platform there is no registry to delete from: said so, and nothing is forgotten.
        await (await admin.Client.DeleteAsync($"/api/v1/admin/images/snapshot-{free}")).ProblemAsync(HttpStatusCode.ServiceUnavailable);
        await (await admin.Client.DeleteAsync("/api/v1/admin/images/not-an-image")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(2, await host.WithDbAsync(db => db.WorkspaceSnapshots.CountAsync(s => s.Id == used || s.Id == free)));
        Assert.Equal(2, await host.WithDbAsync(db => db.ProjectRevisions.CountAsync(r => r.Id == current || r.Id == old)));
    }

    [Fact]
    public async Task The_storage_page_shows_users_and_images_in_Korean()
    {
        var admin = await host.AdminAsync();
        var student = await host.UserAsync(TestRole.Student);
        var snapshot = await WorkspaceRows.SnapshotAsync(host, await WorkspaceRows.AddAsync(host, student.Id));
        var response = await admin.Client.SendAsync(Pages.PageForms.Korean("GET", "/admin/storage"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("사용자별 저장 공간", html, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"storage-user-{student.Id}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"delete-image-snapshot-{snapshot}\"", html, StringComparison.Ordinal);
    }

    /// <summary>A project running revision 2, with revision 1 kept: (name, current revision id, old revision id).</summary>
    Task<(string, long, long)> ProjectWithRevisionsAsync(long ownerId) => host.WithDbAsync(async db =>
    {
        var now = DateTime.UtcNow;
        var project = new Project { Name = "p" + Guid.NewGuid().ToString("N")[..10], OwnerId = ownerId, CreatedAt = now, UpdatedAt = now };
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var revisions = new[] { 1, 2 }.Select(n => new ProjectRevision
        {
            ProjectId = project.Id, Number = n, Template = "static", CreatedAt = now,
            Image = $"127.0.0.1:5000/classcloud-test/rows/{Guid.NewGuid():N}:{n}",
        }).ToList();
        db.ProjectRevisions.AddRange(revisions);
        await db.SaveChangesAsync();
        project.CurrentRevisionId = revisions[1].Id;
        await db.SaveChangesAsync();
        return (project.Name, revisions[1].Id, revisions[0].Id);
    });
}

public sealed class SqliteStorageApiTests(SqliteHost host) : StorageApiTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresStorageApiTests(PostgresHost host) : StorageApiTests(host), IClassFixture<PostgresHost>;
