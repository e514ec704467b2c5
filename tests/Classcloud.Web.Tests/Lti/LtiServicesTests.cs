using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Assignments;
using Classcloud.Web.Courses;
using Classcloud.Web.Lti;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace Classcloud.Web.Tests.Lti;

/// <summary>
/// Names and Role Provisioning and Assignment and Grade Services against the local platform: the tool gets a token
/// with a JWT assertion the platform checks against /lti/jwks, reads the membership in pages of 50 through the Link
/// header and enrols the members, and sends released scores to a line item it finds or makes.
/// </summary>
public abstract class LtiServicesTests(ClasscloudHost host, LocalLtiPlatform platform)
{
    sealed record Placed(string ClientId, TestUser Educator, long CourseId, LaunchClaims Teacher, HttpClient Browser);

    /// <summary>A registered platform, an educator's course, and the educator's launch that places an LMS course on it.</summary>
    async Task<Placed> PlaceAsync(bool checkEarlySync = false)
    {
        var clientId = "tool-" + Guid.NewGuid().ToString("N")[..12];
        var admin = await host.AdminAsync();
        await (await admin.Client.PostAsJsonAsync("/api/v1/admin/lti/platforms", platform.Registration(clientId))).StatusAsync(HttpStatusCode.Created);
        var educator = await host.UserAsync(TestRole.Educator);
        var courseId = (await (await educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "NRPS " + Guid.NewGuid(), description = "2026-2" }))
            .OkAsync<CourseDto>(HttpStatusCode.Created)).Id;

        if (checkEarlySync)
        {
            // Before any launch from the platform there is no roster to read.
            var early = await educator.Client.PostAsync($"/api/v1/lti/courses/{courseId}/roster-sync", null);
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        }

        var teacher = new LaunchClaims(clientId, "t-" + Guid.NewGuid().ToString("N")[..8], educator.Email, "Teacher", [LaunchClaims.Instructor])
        {
            Custom = new() { ["classcloud_course"] = courseId.ToString() },
        };
        var browser = await LaunchAsync(teacher);
        return new Placed(clientId, educator, courseId, teacher, browser);
    }

    /// <summary>A launch of this person from the placed LMS course, in a browser of their own.</summary>
    async Task<HttpClient> LaunchAsync(LaunchClaims claims)
    {
        var browser = host.NewClient();
        using var login = await browser.GetAsync($"/lti/login?iss={Uri.EscapeDataString(platform.Issuer)}&login_hint={claims.Subject}&target_link_uri=x&client_id={claims.ClientId}");
        platform.Next = claims;
        var answer = await platform.AuthorizeAsync(login.Headers.Location!);
        using var launch = new HttpRequestMessage(HttpMethod.Post, "/lti/launch")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["id_token"] = answer.IdToken, ["state"] = answer.State }),
        };
        launch.Headers.Add("Origin", platform.Issuer);
        using var landed = await browser.SendAsync(launch);
        Assert.Equal(HttpStatusCode.Redirect, landed.StatusCode);
        return browser;
    }

    [Fact]
    public async Task The_roster_of_a_placed_lms_course_is_read_page_by_page_and_enrolled()
    {
        var (_, educator, courseId, teacher, placedBrowser) = await PlaceAsync(checkEarlySync: true);
        using var browser = placedBrowser;
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

        // A platform that answers half a page: a 502 naming it, nothing enrolled or removed.
        platform.RawRosters[teacher.ContextId!] = "{\"members\": [ {\"user_id\": ";
        using var broken = await educator.Client.PostAsync($"/api/v1/lti/courses/{courseId}/roster-sync", null);
        Assert.Equal(HttpStatusCode.BadGateway, broken.StatusCode);
        Assert.Contains("could not read", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        platform.RawRosters.TryRemove(teacher.ContextId!, out _);
        Assert.Equal(53, await host.WithDbAsync(db => db.Enrolments.CountAsync(e => e.CourseId == courseId)));
    }

    [Fact]
    public async Task Released_scores_go_to_one_line_item_per_assignment_for_students_known_to_the_platform()
    {
        var (clientId, educator, courseId, teacher, placedBrowser) = await PlaceAsync();
        using var browser = placedBrowser;
        platform.ToolKeys = new JsonWebKeySet(await browser.GetStringAsync("/lti/jwks"));
        var learners = Enumerable.Range(0, 2).Select(i => new LaunchClaims(clientId, $"s-{Guid.NewGuid():N}"[..12], TestAccounts.NewEmail("ags"), $"학생 {i}",
            [LaunchClaims.Learner]) { ContextId = teacher.ContextId }).ToList();
        foreach (var learner in learners)
        {
            (await LaunchAsync(learner)).Dispose();
        }
        var local = await host.UserAsync(TestRole.Student); // enrolled in Classcloud only: no account at the platform
        var assignmentId = await host.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var assignment = new Assignment { CourseId = courseId, Slug = "ags-" + Guid.NewGuid().ToString("N")[..8], Title = "Loops", OpensAt = now.AddDays(-2), DueAt = now.AddDays(-1), CreatedById = educator.Id, CreatedAt = now, UpdatedAt = now };
            db.Assignments.Add(assignment);
            await db.SaveChangesAsync();
            var ids = await db.Users.Where(u => u.Email == learners[0].Email || u.Email == learners[1].Email).OrderBy(u => u.Email == learners[1].Email).Select(u => u.Id).ToListAsync();
            Submission Graded(long user, double score, double? overridden = null) => new()
            {
                AssignmentId = assignment.Id, UserId = user, Source = SubmissionSources.Collect, TakenAt = now, ContentHash = "h", ArchiveKey = "k",
                Score = score, Override = overridden, MaxScore = 10, GradeState = GradeStates.Done,
            };
            db.Submissions.AddRange(Graded(ids[0], 8), Graded(ids[1], 4, overridden: 9.5), Graded(local.Id, 5));
            await db.SaveChangesAsync();
            return assignment.Id;
        });

        var early = await educator.Client.PostAsync($"/api/v1/lti/assignments/{assignmentId}/scores", null);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode); // not released yet
        await host.WithDbAsync(db => db.Assignments.Where(a => a.Id == assignmentId).ExecuteUpdateAsync(u => u.SetProperty(a => a.Released, true)));
        var student = await host.UserAsync(TestRole.Student);
        Assert.Equal(HttpStatusCode.Forbidden, (await student.Client.PostAsync($"/api/v1/lti/assignments/{assignmentId}/scores", null)).StatusCode);

        var sent = await (await educator.Client.PostAsync($"/api/v1/lti/assignments/{assignmentId}/scores", null)).OkAsync<LtiScoresDto>();
        var item = Assert.Single(sent.LineItems);
        Assert.Equal((2, 1), (sent.Sent, sent.Skipped));
        var made = Assert.Single(platform.LineItemsOf[teacher.ContextId!]);
        Assert.Equal(("Loops", 10.0, $"classcloud-assignment-{assignmentId}"), (made["label"]!.GetValue<string>(), made["scoreMaximum"]!.GetValue<double>(), made["resourceId"]!.GetValue<string>()));
        var scores = platform.Scores[item].ToDictionary(s => s["userId"]!.GetValue<string>(), s => s);
        Assert.Equal(8.0, scores[learners[0].Subject]["scoreGiven"]!.GetValue<double>());
        Assert.Equal(9.5, scores[learners[1].Subject]["scoreGiven"]!.GetValue<double>());
        Assert.All(scores.Values, s => Assert.Equal(("Completed", "FullyGraded", 10.0),
            (s["activityProgress"]!.GetValue<string>(), s["gradingProgress"]!.GetValue<string>(), s["scoreMaximum"]!.GetValue<double>())));

        // Sent again (a regrade): the same line item is found by its resource id, not made twice.
        var again = await (await educator.Client.PostAsync($"/api/v1/lti/assignments/{assignmentId}/scores", null)).OkAsync<LtiScoresDto>();
        Assert.Equal(item, Assert.Single(again.LineItems));
        Assert.Single(platform.LineItemsOf[teacher.ContextId!]);
        Assert.Equal(4, platform.Scores[item].Count);
    }
}

public sealed class SqliteLtiServicesTests(SqliteHost host, LocalLtiPlatform platform)
    : LtiServicesTests(host, platform), IClassFixture<SqliteHost>, IClassFixture<LocalLtiPlatform>;

public sealed class PostgresLtiServicesTests(PostgresHost host, LocalLtiPlatform platform)
    : LtiServicesTests(host, platform), IClassFixture<PostgresHost>, IClassFixture<LocalLtiPlatform>;
