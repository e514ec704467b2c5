using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Courses;
using Classcloud.Web.Lti;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace Classcloud.Web.Tests.Lti;

/// <summary>
/// Names and Role Provisioning against the local platform: the tool gets a token with a JWT assertion the platform
/// checks against /lti/jwks, reads the membership in pages of 50 through the Link header, and enrols the members.
/// </summary>
public abstract class LtiRosterTests(ClasscloudHost host, LocalLtiPlatform platform)
{
    [Fact]
    public async Task The_roster_of_a_placed_lms_course_is_read_page_by_page_and_enrolled()
    {
        var clientId = "tool-" + Guid.NewGuid().ToString("N")[..12];
        var admin = await host.AdminAsync();
        await (await admin.Client.PostAsJsonAsync("/api/v1/admin/lti/platforms", platform.Registration(clientId))).StatusAsync(HttpStatusCode.Created);
        var educator = await host.UserAsync(TestRole.Educator);
        var courseId = (await (await educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "NRPS " + Guid.NewGuid(), description = "2026-2" }))
            .OkAsync<CourseDto>(HttpStatusCode.Created)).Id;

        // Before any launch from the platform there is no roster to read.
        var early = await educator.Client.PostAsync($"/api/v1/lti/courses/{courseId}/roster-sync", null);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);

        var teacher = new LaunchClaims(clientId, "t-" + Guid.NewGuid().ToString("N")[..8], educator.Email, "Teacher", [LaunchClaims.Instructor])
        {
            Custom = new() { ["classcloud_course"] = courseId.ToString() },
        };
        using var browser = host.NewClient();
        using var login = await browser.GetAsync($"/lti/login?iss={Uri.EscapeDataString(platform.Issuer)}&login_hint={teacher.Subject}&target_link_uri=x&client_id={clientId}");
        platform.Next = teacher;
        var answer = await platform.AuthorizeAsync(login.Headers.Location!);
        using var launch = new HttpRequestMessage(HttpMethod.Post, "/lti/launch")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["id_token"] = answer.IdToken, ["state"] = answer.State }),
        };
        launch.Headers.Add("Origin", platform.Issuer);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SendAsync(launch)).StatusCode);

        var learners = Enumerable.Range(0, 53).Select(i => (object)new
        {
            user_id = $"s-{Guid.NewGuid():N}"[..12], status = "Active", name = $"학생 {i}", email = TestAccounts.NewEmail("nrps"), roles = new[] { LaunchClaims.Learner },
        }).ToList();
        learners.Add(new { user_id = teacher.Subject, status = "Active", name = "Teacher", email = educator.Email, roles = new[] { LaunchClaims.Instructor } });
        learners.Add(new { user_id = "gone", status = "Inactive", name = "Gone", email = TestAccounts.NewEmail("gone"), roles = new[] { LaunchClaims.Learner } });
        platform.Rosters[teacher.ContextId!] = learners;
        platform.ToolKeys = new JsonWebKeySet(await browser.GetStringAsync("/lti/jwks"));

        var student = await host.UserAsync(TestRole.Student);
        Assert.Equal(HttpStatusCode.Forbidden, (await student.Client.PostAsync($"/api/v1/lti/courses/{courseId}/roster-sync", null)).StatusCode);

        var synced = await (await educator.Client.PostAsync($"/api/v1/lti/courses/{courseId}/roster-sync", null)).OkAsync<LtiRosterDto>();
        Assert.Equal(new LtiRosterDto(Members: 55, Enrolled: 53, Teaching: 1, Skipped: 1), synced);
        Assert.Equal(["0/50", "50/50"], platform.PagesServed.Where(p => p.EndsWith("/50", StringComparison.Ordinal)).TakeLast(2));
        var accepted = await host.WithDbAsync(db => db.Enrolments.CountAsync(e => e.CourseId == courseId && e.Status == EnrolmentStatus.Accepted));
        Assert.Equal(53, accepted);

        // Again: nobody is added twice.
        var again = await (await educator.Client.PostAsync($"/api/v1/lti/courses/{courseId}/roster-sync", null)).OkAsync<LtiRosterDto>();
        Assert.Equal(53, again.Enrolled);
        Assert.Equal(53, await host.WithDbAsync(db => db.Enrolments.CountAsync(e => e.CourseId == courseId)));
    }
}

public sealed class SqliteLtiRosterTests(SqliteHost host, LocalLtiPlatform platform)
    : LtiRosterTests(host, platform), IClassFixture<SqliteHost>, IClassFixture<LocalLtiPlatform>;

public sealed class PostgresLtiRosterTests(PostgresHost host, LocalLtiPlatform platform)
    : LtiRosterTests(host, platform), IClassFixture<PostgresHost>, IClassFixture<LocalLtiPlatform>;
