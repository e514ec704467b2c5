using System.Net;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Pages;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Courses;

/// <summary>The course and group pages through their forms, as a browser without JavaScript uses them.</summary>
public abstract class CoursePagesTests(ClasscloudHost host)
{
    [Theory]
    [InlineData("/courses")]
    [InlineData("/courses/1")]
    [InlineData("/posts/1")]
    [InlineData("/news")]
    [InlineData("/groups")]
    public async Task Anonymous_visitors_are_sent_to_sign_in(string path)
    {
        var response = await host.NewClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_answer_in_Korean_and_hide_what_the_reader_may_not_see()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var mine = await cast.Member.Client.SendAsync(PageForms.Korean("GET", "/courses"));
        var html = await mine.Content.ReadAsStringAsync();
        Assert.Contains("나의 강좌", html, StringComparison.Ordinal);
        Assert.Contains($"/courses/{course.Id}", html, StringComparison.Ordinal);

        var board = await cast.Member.Client.HtmlAsync($"/courses/{course.Id}?board=questions");
        Assert.Contains("Everyone question", board, StringComparison.Ordinal);
        Assert.DoesNotContain("Private question", board, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await cast.Member.Client.GetAsync($"/posts/{course.EducatorsPost}")).StatusCode);
        Assert.Contains("Private question", await cast.CoEducator.Client.HtmlAsync($"/courses/{course.Id}?board=questions"), StringComparison.Ordinal);

        var outsider = await cast.Outsider.Client.HtmlAsync($"/courses/{course.Id}");
        Assert.Contains("data-testid=\"apply\"", outsider, StringComparison.Ordinal);
        Assert.DoesNotContain("Everyone question", outsider, StringComparison.Ordinal);
        var members = await cast.Outsider.Client.GetAsync($"/courses/{course.Id}/members");
        Assert.Equal(HttpStatusCode.Redirect, members.StatusCode);
        Assert.StartsWith("/denied", members.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Comment_pages_follow_the_p_parameter_and_forms_post_to_their_handlers()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        for (var i = 0; i < 12; i++)
        {
            await Api.CreatedAsync(cast.Member.Client.PostAsync($"/api/v1/posts/{course.EveryonePost}/comments",
                System.Net.Http.Json.JsonContent.Create(new { body = $"comment number {i:D2}" })));
        }
        var second = await cast.Author.Client.HtmlAsync($"/posts/{course.EveryonePost}?p=2");
        Assert.Contains("comment number 10", second, StringComparison.Ordinal);
        Assert.DoesNotContain("comment number 00", second, StringComparison.Ordinal);
        Assert.DoesNotContain("action=\"\"", second, StringComparison.Ordinal);

        var posted = await cast.Author.Client.SubmitAsync($"/posts/{course.EveryonePost}", $"/posts/{course.EveryonePost}?handler=Comment&p=2",
            ("body", "through the form"), ("parentId", course.Comment.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Matches(@"\?p=1#c\d+$", posted.Headers.Location!.OriginalString);
        Assert.True(await host.WithDbAsync(db => db.Comments.AnyAsync(c => c.PostId == course.EveryonePost && c.Body == "through the form" && c.ParentId == course.Comment)));
    }

    [Fact]
    public async Task A_student_cancels_the_enrolment_on_the_members_page_and_lands_on_My_courses()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var page = $"/courses/{course.Id}/members";
        var left = await cast.Classmate.Client.SubmitAsync(page, $"{page}?handler=Leave");
        Assert.Equal(HttpStatusCode.Redirect, left.StatusCode);
        Assert.Equal("/courses", left.Headers.Location!.OriginalString);
        Assert.False(await host.WithDbAsync(db => db.Enrolments.AnyAsync(e => e.CourseId == course.Id && e.UserId == cast.Classmate.Id)));

        // The owner cannot leave; the page says why instead of doing it.
        var refused = await cast.Owner.Client.SubmitAsync(page, $"{page}?handler=Leave");
        Assert.Equal(page, refused.Headers.Location!.OriginalString);
        Assert.Contains("cannot leave", await cast.Owner.Client.HtmlAsync(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reject_from_the_applications_page_and_the_roster_preview_then_confirm()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var applications = $"/courses/{course.Id}/applications";
        Assert.Contains($"reject-{course.ApplicationId}", await cast.Owner.Client.HtmlAsync(applications), StringComparison.Ordinal);
        var rejected = await cast.Owner.Client.SubmitAsync(applications, $"{applications}?handler=Decide&applicationId={course.ApplicationId}&accept=false");
        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        Assert.Equal(Web.Courses.EnrolmentStatus.Rejected,
            await host.WithDbAsync(db => db.Enrolments.Where(e => e.Id == course.ApplicationId).Select(e => e.Status).SingleAsync()));

        var newcomer = await host.UserAsync(TestRole.Student);
        var roster = $"/courses/{course.Id}/roster";
        var token = await cast.Owner.Client.AntiforgeryTokenAsync(roster);
        using var form = Api.Csv($"email,name\n{newcomer.Email},New\n");
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var preview = await cast.Owner.Client.PostAsync($"{roster}?handler=Preview", form);
        var html = await preview.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("roster-confirm", html, StringComparison.Ordinal);
        Assert.False(await host.WithDbAsync(db => db.Enrolments.AnyAsync(e => e.CourseId == course.Id && e.UserId == newcomer.Id)));
        var content = System.Text.RegularExpressions.Regex.Match(html, "name=\"content\" value=\"([^\"]+)\"").Groups[1].Value;
        var confirmed = await cast.Owner.Client.SubmitAsync(roster, $"{roster}?handler=Confirm", ("content", WebUtility.HtmlDecode(content)));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.True(await host.WithDbAsync(db => db.Enrolments.AnyAsync(e => e.CourseId == course.Id && e.UserId == newcomer.Id)));
    }

    [Fact]
    public async Task Administrators_list_search_and_delete_courses_and_groups_on_their_pages()
    {
        var cast = await CourseCast.ForAsync(host);
        var name = "Admin page course " + Guid.NewGuid().ToString("N")[..6];
        var course = await cast.NewCourseAsync(name);
        var list = await cast.Admin.Client.HtmlAsync($"/admin/courses?q={Uri.EscapeDataString(name)}");
        Assert.Contains($"admin-course-{course.Id}", list, StringComparison.Ordinal);
        Assert.Contains(cast.Owner.Email, list, StringComparison.Ordinal);
        var denied = await cast.Owner.Client.GetAsync("/admin/courses");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/denied", denied.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var deleted = await cast.Admin.Client.SubmitAsync("/admin/courses", $"/admin/courses?handler=Delete&id={course.Id}&name=x");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.False(await host.WithDbAsync(db => db.Courses.AnyAsync(c => c.Id == course.Id)));

        var group = await Api.CreatedAsync(cast.Member.Client.PostAsync("/api/v1/groups", System.Net.Http.Json.JsonContent.Create(new { name = "Admin page group " + Guid.NewGuid().ToString("N")[..6] })));
        var groups = await cast.Admin.Client.HtmlAsync("/admin/groups?q=Admin%20page%20group");
        Assert.Contains($"admin-group-{group.GetProperty("id").GetInt64()}", groups, StringComparison.Ordinal);
        Assert.Contains(cast.Member.Email, groups, StringComparison.Ordinal);
    }
}

public sealed class SqliteCoursePagesTests(SqliteHost host) : CoursePagesTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresCoursePagesTests(PostgresHost host) : CoursePagesTests(host), IClassFixture<PostgresHost>;
