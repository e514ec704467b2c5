using System.Net;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Pages;
using Classcloud.Web.Tests.Workspaces;

namespace Classcloud.Web.Tests.Rollover;

/// <summary>Issue 16's pages: an educator archives and copies from the course, a person sees what deleting the account takes.</summary>
public sealed class RolloverPagesTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task An_educator_archives_the_course_from_its_page_and_every_course_page_then_says_so()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var page = $"/courses/{course.Id}/rollover";
        Assert.Contains("data-testid=\"course-copy\"", await cast.Owner.Client.HtmlAsync(page), StringComparison.Ordinal);
        using (var refused = await cast.Member.Client.GetAsync(page))
        {
            Assert.Equal(HttpStatusCode.Found, refused.StatusCode);
            Assert.StartsWith("/denied", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        var posted = await cast.Owner.Client.SubmitAsync(page, $"{page}?handler=Archive", ("workspaces", "0"));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Contains("data-testid=\"course-archived\"", await cast.Member.Client.HtmlAsync($"/courses/{course.Id}"), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"course-reopen\"", await cast.Owner.Client.HtmlAsync(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task My_page_offers_the_download_and_names_the_workspaces_deletion_takes()
    {
        var user = await host.UserAsync(TestRole.Student);
        await WorkspaceRows.AddAsync(host, user.Id, name: "lab-notes-ws");
        var html = await user.Client.HtmlAsync("/me");
        Assert.Contains("action=\"/api/v1/me/export\"", html, StringComparison.Ordinal);
        var preview = html[html.IndexOf("data-testid=\"delete-preview\"", StringComparison.Ordinal)..];
        Assert.Contains("lab-notes-ws", preview[..preview.IndexOf("</ul>", StringComparison.Ordinal)], StringComparison.Ordinal);
    }
}
