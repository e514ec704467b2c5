using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Classcloud.Web.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Courses;

/// <summary>Seed 000 §3.4.2: create, search, apply, decide, My courses, members, leave, delete.</summary>
public abstract class CourseFlowTests(ClasscloudHost host)
{
    [Fact]
    public async Task Student_finds_a_course_by_substring_applies_once_and_sees_it_in_My_courses_after_acceptance()
    {
        var cast = await CourseCast.ForAsync(host);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var course = await Api.CreatedAsync(cast.Owner.Client.PostAsJsonAsync("/api/v1/courses",
            new { name = $"C프로그래밍 {tag}", description = "2026학년도 1학기", section = "01", capacity = 40 }));
        var id = course.GetProperty("id").GetInt64();
        Assert.Equal("owner", course.GetProperty("myStatus").GetString());
        Assert.Equal("approval", course.GetProperty("joinPolicy").GetString());

        var student = await host.UserAsync(TestRole.Student);
        var found = await Api.OkAsync(student.Client.GetAsync($"/api/v1/courses?q={Uri.EscapeDataString("그래밍 " + tag)}"));
        Assert.Equal(id, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());

        var application = await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{id}/applications", null));
        Assert.Equal("pending", application.GetProperty("status").GetString());
        var twice = await Api.ExpectAsync(student.Client.PostAsync($"/api/v1/courses/{id}/applications", null), HttpStatusCode.Conflict);
        Assert.Contains("already applied", twice.GetProperty("detail").GetString());
        Assert.DoesNotContain((await Api.OkAsync(student.Client.GetAsync("/api/v1/courses?mine=true"))).GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetInt64() == id);

        var list = await Api.OkAsync(cast.Owner.Client.GetAsync($"/api/v1/courses/{id}/applications"));
        var appId = Assert.Single(list.EnumerateArray()).GetProperty("id").GetInt64();
        var news = await Api.OkAsync(cast.Owner.Client.GetAsync("/api/v1/notifications"));
        Assert.Contains(news.GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == "application-received" && n.GetProperty("link").GetString() == $"/courses/{id}/applications");

        await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/courses/{id}/applications/{appId}/accept", null));
        var mine = await Api.OkAsync(student.Client.GetAsync("/api/v1/courses?mine=true"));
        Assert.Equal(id, Assert.Single(mine.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
        var accepted = await Api.OkAsync(student.Client.GetAsync("/api/v1/notifications?unread=true"));
        Assert.Contains(accepted.GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == "application-accepted");
        Assert.True(accepted.GetProperty("unreadCount").GetInt32() >= 1);
        await Api.OkAsync(student.Client.PostAsJsonAsync("/api/v1/notifications/read", new { }));
        Assert.Equal(0, (await Api.OkAsync(student.Client.GetAsync("/api/v1/notifications"))).GetProperty("unreadCount").GetInt32());

        var members = await Api.OkAsync(student.Client.GetAsync($"/api/v1/courses/{id}/members"));
        Assert.Equal("owner", members[0].GetProperty("role").GetString());
        Assert.Equal(cast.Owner.Id, members[0].GetProperty("user").GetProperty("id").GetInt64());
        Assert.Contains(members.EnumerateArray(), m => m.GetProperty("user").GetProperty("id").GetInt64() == student.Id && m.GetProperty("role").GetString() == "student");
        Assert.True(members.EnumerateArray().All(m => m.GetProperty("role").GetString() != "student" || m.GetProperty("email").ValueKind == JsonValueKind.Null));

        await Api.ExpectAsync(student.Client.DeleteAsync($"/api/v1/courses/{id}/members/me"), HttpStatusCode.NoContent);
        Assert.Empty((await Api.OkAsync(student.Client.GetAsync("/api/v1/courses?mine=true"))).GetProperty("items").EnumerateArray());
        Assert.False(await host.WithDbAsync(db => db.Enrolments.AnyAsync(e => e.CourseId == id && e.UserId == student.Id)));
    }

    [Fact]
    public async Task Rejected_student_cannot_apply_again_and_reject_is_not_reversible_by_accept()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/courses/{course.Id}/applications/{course.ApplicationId}/reject", null));
        var again = await Api.ExpectAsync(cast.Applicant.Client.PostAsync($"/api/v1/courses/{course.Id}/applications", null), HttpStatusCode.Conflict);
        Assert.Contains("declined", again.GetProperty("detail").GetString());
        await Api.ExpectAsync(cast.Owner.Client.PostAsync($"/api/v1/courses/{course.Id}/applications/{course.ApplicationId}/accept", null), HttpStatusCode.Conflict);
        await Api.ExpectAsync(cast.Applicant.Client.DeleteAsync($"/api/v1/courses/{course.Id}/members/me"), HttpStatusCode.NotFound);
        var news = await Api.OkAsync(cast.Applicant.Client.GetAsync("/api/v1/notifications"));
        Assert.Contains(news.GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == "application-rejected");
    }

    [Fact]
    public async Task Capacity_open_and_invite_only_courses()
    {
        var cast = await CourseCast.ForAsync(host);
        var open = await Api.CreatedAsync(cast.Owner.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Open " + Guid.NewGuid(), description = "d", capacity = 1, joinPolicy = "open" }));
        var id = open.GetProperty("id").GetInt64();
        var first = await Api.CreatedAsync(cast.Member.Client.PostAsync($"/api/v1/courses/{id}/applications", null));
        Assert.Equal("accepted", first.GetProperty("status").GetString());
        var full = await Api.ExpectAsync(cast.Author.Client.PostAsync($"/api/v1/courses/{id}/applications", null), HttpStatusCode.Conflict);
        Assert.Contains("full", full.GetProperty("detail").GetString());

        var invite = await Api.CreatedAsync(cast.Owner.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Invite " + Guid.NewGuid(), description = "d", joinPolicy = "invite-only" }));
        await Api.ExpectAsync(cast.Member.Client.PostAsync($"/api/v1/courses/{invite.GetProperty("id").GetInt64()}/applications", null), HttpStatusCode.Forbidden);

        var bad = await Api.ExpectAsync(cast.Owner.Client.PostAsJsonAsync("/api/v1/courses", new { name = "x", description = "d", capacity = 0 }), HttpStatusCode.BadRequest);
        Assert.Contains("Capacity", bad.GetProperty("detail").GetString());
        await Api.ExpectAsync(cast.Owner.Client.PostAsJsonAsync("/api/v1/courses", new { name = "", description = "d" }), HttpStatusCode.BadRequest);
        await Api.ExpectAsync(cast.Owner.Client.PostAsJsonAsync("/api/v1/courses", new { name = "x" }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Quotas_of_courses_per_educator_and_per_student_apply()
    {
        var cast = await CourseCast.ForAsync(host);
        var educator = await host.UserAsync(TestRole.Educator);
        var student = await host.UserAsync(TestRole.Student);
        var first = await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Q1 " + Guid.NewGuid(), description = "d", joinPolicy = "open" }));
        var other = await Api.CreatedAsync(cast.Owner.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Q2 " + Guid.NewGuid(), description = "d", joinPolicy = "open" }));
        var otherId = other.GetProperty("id").GetInt64();
        var courses = first.GetProperty("id").GetInt64();
        await SetQuotasAsync(cast, educator: 1, student: 1);
        try
        {
            var refused = await Api.ExpectAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Q3", description = "d" }), HttpStatusCode.Conflict);
            Assert.Contains("1", refused.GetProperty("detail").GetString());
            await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{otherId}/applications", null));
            var quota = await Api.ExpectAsync(student.Client.PostAsync($"/api/v1/courses/{courses}/applications", null), HttpStatusCode.Conflict);
            Assert.Contains("most allowed", quota.GetProperty("detail").GetString());
        }
        finally
        {
            await SetQuotasAsync(cast, 10_000, 10_000);
        }
    }

    [Fact]
    public async Task Pending_educators_and_students_cannot_create_courses()
    {
        var pending = await host.UserAsync(TestRole.PendingEducator);
        var student = await host.UserAsync(TestRole.Student);
        Assert.Equal(HttpStatusCode.Forbidden, (await pending.Client.PostAsJsonAsync("/api/v1/courses", new { name = "x", description = "d" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await student.Client.PostAsJsonAsync("/api/v1/courses", new { name = "x", description = "d" })).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_course_removes_posts_comments_and_files_and_tells_the_members()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var keys = await host.WithDbAsync(db => db.Attachments.Where(a => a.PostId == course.EveryonePost || a.PostId == course.EducatorsPost).Select(a => a.StorageKey).ToListAsync());
        Assert.Equal(2, keys.Count);
        var files = keys.Select(k => Path.Combine(host.DataDirectory, "files", "attachments", k[..2], k)).ToList();
        Assert.All(files, f => Assert.True(File.Exists(f)));

        await Api.ExpectAsync(cast.CoEducator.Client.DeleteAsync($"/api/v1/courses/{course.Id}"), HttpStatusCode.Forbidden);
        await Api.ExpectAsync(cast.Owner.Client.DeleteAsync($"/api/v1/courses/{course.Id}"), HttpStatusCode.NoContent);
        Assert.False(await host.WithDbAsync(db => db.Posts.AnyAsync(p => p.CourseId == course.Id)));
        Assert.False(await host.WithDbAsync(db => db.Comments.AnyAsync(c => c.Id == course.Comment)));
        Assert.False(await host.WithDbAsync(db => db.Attachments.AnyAsync(a => a.Id == course.Attachment)));
        Assert.All(files, f => Assert.False(File.Exists(f)));
        var news = await Api.OkAsync(cast.Member.Client.GetAsync("/api/v1/notifications"));
        Assert.Contains(news.GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == "course-deleted");
        await Api.ExpectAsync(cast.Member.Client.GetAsync($"/api/v1/courses/{course.Id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Removed_member_is_notified_and_the_owner_cannot_leave()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        await Api.ExpectAsync(cast.CoEducator.Client.DeleteAsync($"/api/v1/courses/{course.Id}/members/{cast.Classmate.Id}"), HttpStatusCode.NoContent);
        var news = await Api.OkAsync(cast.Classmate.Client.GetAsync("/api/v1/notifications"));
        Assert.Contains(news.GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == "removed-from-course");
        await Api.ExpectAsync(cast.Classmate.Client.GetAsync($"/api/v1/courses/{course.Id}/boards/notice/posts"), HttpStatusCode.Forbidden);
        var owner = await Api.ExpectAsync(cast.Owner.Client.DeleteAsync($"/api/v1/courses/{course.Id}/members/me"), HttpStatusCode.Conflict);
        Assert.Contains("owner", owner.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_educator_who_owns_courses_cannot_delete_the_account_and_is_told_which()
    {
        var educator = await host.UserAsync(TestRole.Educator);
        var name = "Owned " + Guid.NewGuid().ToString("N")[..6];
        await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name, description = "d" }));
        var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = educator.Password, confirm = true }) };
        var refused = await Api.ExpectAsync(educator.Client.SendAsync(request), HttpStatusCode.Conflict);
        Assert.Contains(name, refused.GetProperty("detail").GetString());
        Assert.True(await host.UserExistsAsync(educator.Email));
    }

    [Fact]
    public async Task Co_educator_has_the_teaching_rights_but_only_approved_educators_can_be_added()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        await Api.ExpectAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/coeducators", new { userId = cast.Outsider.Id }), HttpStatusCode.BadRequest);
        await Api.ExpectAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/coeducators", new { userId = cast.CoEducator.Id }), HttpStatusCode.Conflict);
        var list = await Api.OkAsync(cast.CoEducator.Client.GetAsync($"/api/v1/courses/{course.Id}/applications"));
        var appId = Assert.Single(list.EnumerateArray()).GetProperty("id").GetInt64();
        await Api.OkAsync(cast.CoEducator.Client.PostAsync($"/api/v1/courses/{course.Id}/applications/{appId}/accept", null));
        var members = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/courses/{course.Id}/members"));
        Assert.Contains(members.EnumerateArray(), m => m.GetProperty("role").GetString() == "coeducator" && m.GetProperty("user").GetProperty("id").GetInt64() == cast.CoEducator.Id);
    }

    static async Task SetQuotasAsync(CourseCast cast, int educator, int student) =>
        await Api.OkAsync(cast.Admin.Client.PutAsJsonAsync("/api/v1/admin/settings",
            new { allowedEmailDomains = Array.Empty<string>(), maxWorkspacesPerUser = 3, maxCoursesPerEducator = educator, maxCoursesPerStudent = student }));
}

public sealed class SqliteCourseFlowTests(SqliteHost host) : CourseFlowTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresCourseFlowTests(PostgresHost host) : CourseFlowTests(host), IClassFixture<PostgresHost>;
