using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Hosting;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Tests.Admin;

/// <summary>The administrator's users API: search, approve, role, disable/enable, delete (seed 000 §3.5.7–3.5.8).</summary>
public abstract class UserAdminTests(ClasscloudHost host)
{
    static async Task<Paged<AdminUserDto>> SearchAsync(TestUser admin, string query) =>
        await (await admin.Client.GetAsync("/api/v1/admin/users?" + query)).OkAsync<Paged<AdminUserDto>>();

    [Fact]
    public async Task Search_by_name_or_email_filters_by_role_and_status_and_pages()
    {
        var admin = await host.AdminAsync();
        var tag = Guid.NewGuid().ToString("N")[..10];
        var client = host.NewClient();
        // Four people whose names share the tag: unverified student, active student, pending educator, disabled student.
        await (await client.RegisterAsync($"{tag}-a@school.ac.kr", name: $"Alpha {tag}")).StatusAsync(HttpStatusCode.Created);
        var active = await host.UserAsync(TestRole.Student, $"{tag}-b@school.ac.kr");
        var pending = await host.UserAsync(TestRole.PendingEducator, $"{tag}-c@school.ac.kr");
        var disabled = await host.UserAsync(TestRole.Student, $"{tag}-d@school.ac.kr");
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{disabled.Id}/disable", null)).StatusAsync(HttpStatusCode.OK);

        var all = await SearchAsync(admin, $"q={tag}");
        Assert.Equal(4, all.TotalCount);
        Assert.All(all.Items, u => Assert.Contains(tag, u.Email, StringComparison.Ordinal));
        Assert.Equal("Alpha " + tag, Assert.Single((await SearchAsync(admin, $"q=ALPHA%20{tag.ToUpperInvariant()}")).Items).Name);
        Assert.Equal(active.Id, Assert.Single((await SearchAsync(admin, $"q={tag.ToUpperInvariant()}-B@SCHOOL")).Items).Id);

        Assert.Equal(pending.Id, Assert.Single((await SearchAsync(admin, $"q={tag}&role=educator")).Items).Id);
        Assert.Equal(3, (await SearchAsync(admin, $"q={tag}&role=student")).TotalCount);
        Assert.Equal(pending.Id, Assert.Single((await SearchAsync(admin, $"q={tag}&status=pending")).Items).Id);
        Assert.Equal(active.Id, Assert.Single((await SearchAsync(admin, $"q={tag}&status=active")).Items).Id);
        Assert.Equal(disabled.Id, Assert.Single((await SearchAsync(admin, $"q={tag}&status=disabled")).Items).Id);
        Assert.Equal("unverified", Assert.Single((await SearchAsync(admin, $"q={tag}&status=unverified")).Items).Status);
        Assert.Empty((await SearchAsync(admin, $"q={tag}&role=admin")).Items);

        var first = await SearchAsync(admin, $"q={tag}&pageSize=3&page=1");
        var second = await SearchAsync(admin, $"q={tag}&pageSize=3&page=2");
        Assert.Equal((3, 1, 3, 4, 2), (first.Items.Count, first.Page, first.PageSize, first.TotalCount, first.TotalPages));
        Assert.Single(second.Items);
        Assert.Empty(first.Items.Select(u => u.Id).Intersect(second.Items.Select(u => u.Id)));
        Assert.Empty((await SearchAsync(admin, $"q={tag}&pageSize=3&page=3")).Items);

        // Page size is capped, whatever is asked for.
        var capped = await SearchAsync(admin, "pageSize=100000");
        Assert.Equal(100, capped.PageSize);
        Assert.True(capped.Items.Count <= 100);
    }

    [Fact]
    public async Task Approve_activates_a_pending_educator_and_mails_them()
    {
        var admin = await host.AdminAsync();
        var pending = await host.UserAsync(TestRole.PendingEducator);
        var approved = await (await admin.Client.PostAsync($"/api/v1/admin/users/{pending.Id}/approve", null)).OkAsync<AdminUserDto>();
        Assert.Equal(("educator", "active"), (approved.Role, approved.Status));
        Assert.Equal(AccountStatus.Active, (await host.FindUserAsync(pending.Email))!.Status);
        Assert.Equal("active", (await pending.Client.MeAsync()).Status);
        Assert.Single(await host.MailsToAsync(pending.Email), m => m.Subject == "Your educator account is approved");

        // Approving twice is harmless and mails nothing more; an unknown id is 404.
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{pending.Id}/approve", null)).StatusAsync(HttpStatusCode.OK);
        Assert.Single(await host.MailsToAsync(pending.Email), m => m.Subject == "Your educator account is approved");
        await (await admin.Client.PostAsync("/api/v1/admin/users/987654321/approve", null)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Role_change_takes_effect_on_the_next_request_of_an_open_session()
    {
        var admin = await host.AdminAsync();
        var student = await host.UserAsync(TestRole.Student);
        await (await student.Client.GetAsync("/api/v1/admin/users")).ProblemAsync(HttpStatusCode.Forbidden);

        var changed = await (await admin.Client.PutAsJsonAsync($"/api/v1/admin/users/{student.Id}/role", new { role = "admin" })).OkAsync<AdminUserDto>();
        Assert.Equal("admin", changed.Role);
        Assert.Equal("admin", (await student.Client.MeAsync()).Role);
        await (await student.Client.GetAsync("/api/v1/admin/users")).StatusAsync(HttpStatusCode.OK);

        await (await admin.Client.PutAsJsonAsync($"/api/v1/admin/users/{student.Id}/role", new { role = "Student" })).StatusAsync(HttpStatusCode.OK);
        await (await student.Client.GetAsync("/api/v1/admin/users")).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(AccountRole.Student, (await host.FindUserAsync(student.Email))!.Role);

        // Making a pending educator an educator approves them; an administrator keeps their own role.
        var pending = await host.UserAsync(TestRole.PendingEducator);
        await (await admin.Client.PutAsJsonAsync($"/api/v1/admin/users/{pending.Id}/role", new { role = "educator" })).StatusAsync(HttpStatusCode.OK);
        Assert.Equal("active", (await pending.Client.MeAsync()).Status);
        var self = await (await admin.Client.PutAsJsonAsync($"/api/v1/admin/users/{admin.Id}/role", new { role = "student" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("You cannot take away your own administrator role.", self.Detail);
        await (await admin.Client.PutAsJsonAsync("/api/v1/admin/users/987654321/role", new { role = "student" })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Disable_ends_an_open_session_at_once_and_enable_lets_the_user_back()
    {
        var admin = await host.AdminAsync();
        var student = await host.UserAsync(TestRole.Student);
        Assert.Equal(student.Email, (await student.Client.MeAsync()).Email);

        var disabled = await (await admin.Client.PostAsync($"/api/v1/admin/users/{student.Id}/disable", null)).OkAsync<AdminUserDto>();
        Assert.Equal("disabled", disabled.Status);
        await (await student.Client.GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await host.NewClient().LoginAsync(student.Email)).ProblemAsync(HttpStatusCode.Forbidden);

        var enabled = await (await admin.Client.PostAsync($"/api/v1/admin/users/{student.Id}/enable", null)).OkAsync<AdminUserDto>();
        Assert.Equal("active", enabled.Status);
        await (await student.Client.LoginAsync(student.Email)).StatusAsync(HttpStatusCode.OK);
        Assert.Equal(student.Email, (await student.Client.MeAsync()).Email);

        var self = await (await admin.Client.PostAsync($"/api/v1/admin/users/{admin.Id}/disable", null)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("You cannot disable your own account.", self.Detail);
        Assert.Equal(admin.Email, (await admin.Client.MeAsync()).Email);
    }

    [Fact]
    public async Task Administrator_deletes_another_account_but_not_their_own()
    {
        var admin = await host.AdminAsync();
        var student = await host.UserAsync(TestRole.Student);
        await (await admin.Client.DeleteAsync($"/api/v1/admin/users/{student.Id}")).StatusAsync(HttpStatusCode.NoContent);
        Assert.False(await host.UserExistsAsync(student.Email));
        await (await student.Client.GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await admin.Client.DeleteAsync($"/api/v1/admin/users/{student.Id}")).ProblemAsync(HttpStatusCode.NotFound);

        var self = await (await admin.Client.DeleteAsync($"/api/v1/admin/users/{admin.Id}")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Delete your own account from My page.", self.Detail);
        var last = await (await admin.Client.DeleteAsJsonAsync("/api/v1/me", new { password = admin.Password, confirm = true })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("The last administrator cannot be deleted.", last.Detail);
        Assert.True(await host.UserExistsAsync(admin.Email));
    }

    [Fact]
    public async Task Settings_are_read_and_changed_and_a_bad_value_changes_nothing()
    {
        var admin = await host.AdminAsync();
        var before = await (await admin.Client.GetAsync("/api/v1/admin/settings")).OkAsync<SettingsDto>();
        Assert.Equal((3, 20, 30), (before.MaxWorkspacesPerUser, before.MaxCoursesPerEducator, before.MaxCoursesPerStudent));
        try
        {
            var changed = await (await admin.Client.PutAsJsonAsync("/api/v1/admin/settings",
                new { allowedEmailDomains = new[] { " *.AC.KR ", "pusan.ac.kr", "pusan.ac.kr" }, maxWorkspacesPerUser = 5, maxCoursesPerEducator = 7, maxCoursesPerStudent = 9 }))
                .OkAsync<SettingsDto>();
            Assert.Equal(["*.ac.kr", "pusan.ac.kr"], changed.AllowedEmailDomains);
            var read = await (await admin.Client.GetAsync("/api/v1/admin/settings")).OkAsync<SettingsDto>();
            Assert.Equal((5, 7, 9), (read.MaxWorkspacesPerUser, read.MaxCoursesPerEducator, read.MaxCoursesPerStudent));
            Assert.Equal(["*.ac.kr", "pusan.ac.kr"], read.AllowedEmailDomains);
            var stored = await host.WithDbAsync(db => db.Settings.AsNoTracking().SingleAsync());
            Assert.Equal("*.ac.kr\npusan.ac.kr", stored.AllowedEmailDomains);

            foreach (var (body, expected) in new (object Body, string Detail)[]
            {
                (new { allowedEmailDomains = new[] { "pusan.ac.kr", "not a domain" }, maxWorkspacesPerUser = 1, maxCoursesPerEducator = 1, maxCoursesPerStudent = 1 },
                    "'not a domain' is not a domain pattern; use e.g. pusan.ac.kr or *.ac.kr."),
                (new { allowedEmailDomains = new[] { "*" }, maxWorkspacesPerUser = 1, maxCoursesPerEducator = 1, maxCoursesPerStudent = 1 },
                    "'*' is not a domain pattern; use e.g. pusan.ac.kr or *.ac.kr."),
                (new { allowedEmailDomains = new[] { "localhost" }, maxWorkspacesPerUser = 1, maxCoursesPerEducator = 1, maxCoursesPerStudent = 1 },
                    "'localhost' is not a domain pattern; use e.g. pusan.ac.kr or *.ac.kr."),
                (new { allowedEmailDomains = new[] { "a.kr,b.kr" }, maxWorkspacesPerUser = 1, maxCoursesPerEducator = 1, maxCoursesPerStudent = 1 },
                    "'a.kr,b.kr' is not a domain pattern; use e.g. pusan.ac.kr or *.ac.kr."),
                (new { allowedEmailDomains = Enumerable.Range(0, 51).Select(i => $"d{i}.ac.kr").ToArray(), maxWorkspacesPerUser = 1, maxCoursesPerEducator = 1, maxCoursesPerStudent = 1 },
                    "At most 50 e-mail domains can be listed."),
                (new { allowedEmailDomains = Array.Empty<string>(), maxWorkspacesPerUser = -1, maxCoursesPerEducator = 1, maxCoursesPerStudent = 1 },
                    "Quotas must be between 0 and 10000."),
                (new { allowedEmailDomains = Array.Empty<string>(), maxWorkspacesPerUser = 1, maxCoursesPerEducator = 10001, maxCoursesPerStudent = 1 },
                    "Quotas must be between 0 and 10000."),
            })
            {
                var problem = await (await admin.Client.PutAsJsonAsync("/api/v1/admin/settings", body)).ProblemAsync(HttpStatusCode.BadRequest);
                Assert.Equal(expected, problem.Detail);
            }
            var after = await host.WithDbAsync(db => db.Settings.AsNoTracking().SingleAsync());
            Assert.Equal((stored.AllowedEmailDomains, stored.MaxWorkspacesPerUser, stored.MaxCoursesPerEducator, stored.MaxCoursesPerStudent, stored.UpdatedAt),
                (after.AllowedEmailDomains, after.MaxWorkspacesPerUser, after.MaxCoursesPerEducator, after.MaxCoursesPerStudent, after.UpdatedAt));
        }
        finally
        {
            await (await admin.Client.PutAsJsonAsync("/api/v1/admin/settings", before)).StatusAsync(HttpStatusCode.OK);
        }
    }
}

public sealed class SqliteUserAdminTests(SqliteHost host) : UserAdminTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresUserAdminTests(PostgresHost host) : UserAdminTests(host), IClassFixture<PostgresHost>;
