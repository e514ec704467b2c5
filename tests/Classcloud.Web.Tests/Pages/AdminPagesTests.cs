using System.Net;
using Classcloud.Web.Accounts;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Pages;

public abstract class AdminPagesTests(ClasscloudHost host)
{
    public static TheoryData<string> AdminPages => new() { "/admin", "/admin/users", "/admin/settings", "/admin/audit", "/admin/mail", "/admin/host", "/admin/alerts", "/admin/storage" };

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task Anonymous_is_sent_to_sign_in(string path)
    {
        var response = await host.NewClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin", response.Headers.Location!.AbsolutePath);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(path), response.Headers.Location.Query, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task Student_is_sent_to_denied(string path)
    {
        var student = await host.UserAsync(TestRole.Student);
        var response = await student.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/denied", response.Headers.Location!.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task Administrator_sees_the_page_in_Korean(string path)
    {
        var admin = await host.AdminAsync();
        var response = await admin.Client.SendAsync(PageForms.Korean("GET", path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("감사 로그", html, StringComparison.Ordinal);  // the admin sub-navigation
    }

    [Fact]
    public async Task Administrator_approves_a_pending_educator_from_the_user_list()
    {
        var email = TestAccounts.NewEmail("pending");
        var pending = await host.UserAsync(TestRole.PendingEducator, email);
        var admin = await host.AdminAsync();
        var list = await admin.Client.HtmlAsync("/admin/users?status=pending&q=" + Uri.EscapeDataString(email));
        Assert.Contains($"data-testid=\"approve-{pending.Id}\"", list, StringComparison.Ordinal);

        var response = await admin.Client.SubmitAsync("/admin/users", $"/admin/users?handler=Approve&id={pending.Id}", ("returnUrl", "/admin/users?status=pending"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/users?status=pending", response.Headers.Location!.OriginalString);
        Assert.Equal(AccountStatus.Active, await host.WithDbAsync(db => db.Users.Where(u => u.Id == pending.Id).Select(u => u.Status).SingleAsync()));
        Assert.Contains($"{email} is approved.", await admin.Client.HtmlAsync("/admin/users?status=pending"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_settings_show_the_error_and_change_nothing()
    {
        var admin = await host.AdminAsync();
        var before = await host.WithDbAsync(db => db.Settings.AsNoTracking().SingleOrDefaultAsync());
        var response = await admin.Client.SubmitAsync("/admin/settings", "/admin/settings",
            ("Domains", "pusan.ac.kr\nnot a domain"), ("MaxWorkspacesPerUser", "5"), ("MaxCoursesPerEducator", "5"), ("MaxCoursesPerStudent", "5"),
            ("CpuQuota", "4"), ("MemoryQuotaMiB", "4096"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("is not a domain pattern", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await host.WithDbAsync(db => db.Settings.AsNoTracking().SingleOrDefaultAsync());
        Assert.Equal(before?.UpdatedAt, after?.UpdatedAt);
        Assert.NotEqual(5, after?.MaxWorkspacesPerUser);
    }
}

public sealed class SqliteAdminPagesTests(SqliteHost host) : AdminPagesTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresAdminPagesTests(PostgresHost host) : AdminPagesTests(host), IClassFixture<PostgresHost>;
