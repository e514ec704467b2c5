using System.Net;
using System.Net.Http.Json;
using System.Text;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Admin;

/// <summary>
/// Every API route × {anonymous, student, pending educator, educator, admin} with the exact status
/// expected (DESIGN.md §6). Routes come from the app's EndpointDataSource, so a route added without
/// a row here fails <see cref="Every_api_route_has_a_row"/>: add the row when you add the route.
/// Each call sends a well-formed body, so the status shows the authorization decision, not validation.
/// </summary>
public abstract class AuthorizationMatrixTests(ClasscloudHost host)
{
    static readonly TestRole[] Callers = [TestRole.Anonymous, TestRole.Student, TestRole.PendingEducator, TestRole.Educator, TestRole.Admin];

    /// <summary>One route: the expected status per caller (in the order of <see cref="Callers"/>) and how to call it.</summary>
    sealed record Row(int[] Expected, Func<Fixture, TestRole, (string Path, object? Body)> Call);

    static Row Everyone(int status, Func<Fixture, TestRole, (string, object?)> call) => new([status, status, status, status, status], call);

    static Row SignedIn(int status, Func<Fixture, TestRole, (string, object?)> call) => new([401, status, status, status, status], call);

    static Row AdminOnly(int status, Func<Fixture, TestRole, (string, object?)> call) => new([401, 403, 403, 403, status], call);

    static (string, object?) Path(string path, object? body = null) => (path, body);

    /// <summary>A route on a project of another student (<see cref="Fixture.Project"/>): 404 to everyone signed in but administrators.</summary>
    static Row Project(int admin, Func<Fixture, string> path, object? body = null) => new([401, 404, 404, 404, admin], (f, _) => (path(f), body));

    static readonly Dictionary<string, Row> Rows = new()
    {
        // Anonymous routes: the same answer whoever asks.
        ["POST /api/v1/auth/register"] = Everyone(201, (_, _) => Path("/api/v1/auth/register",
            new { email = TestAccounts.NewEmail("matrix"), password = TestAccounts.Password, name = "Matrix", nickname = "m", role = "student" })),
        ["POST /api/v1/auth/verify"] = Everyone(400, (_, _) => Path("/api/v1/auth/verify", new { token = "not-a-real-token" })),
        ["POST /api/v1/auth/resend-verification"] = Everyone(202, (_, _) => Path("/api/v1/auth/resend-verification", new { email = TestAccounts.NewEmail("matrix") })),
        ["POST /api/v1/auth/login"] = Everyone(200, (f, _) => Path("/api/v1/auth/login", new { email = f.LoginTarget.Email, password = f.LoginTarget.Password })),
        ["POST /api/v1/auth/logout"] = Everyone(204, (_, _) => Path("/api/v1/auth/logout")),
        ["POST /api/v1/auth/forgot-id"] = Everyone(202, (_, _) => Path("/api/v1/auth/forgot-id", new { name = "Matrix", email = TestAccounts.NewEmail("matrix") })),
        ["POST /api/v1/auth/forgot-password"] = Everyone(202, (_, _) => Path("/api/v1/auth/forgot-password", new { email = TestAccounts.NewEmail("matrix") })),
        ["POST /api/v1/auth/reset-password"] = Everyone(400, (_, _) => Path("/api/v1/auth/reset-password", new { token = "not-a-real-token", password = "a-good-password-1" })),

        // Any signed-in account, pending educators included. Wrong current passwords keep the sessions alive.
        ["GET /api/v1/me"] = SignedIn(200, (_, _) => Path("/api/v1/me")),
        ["PUT /api/v1/me"] = SignedIn(200, (_, role) => Path("/api/v1/me", new { nickname = "matrix " + role })),
        ["POST /api/v1/me/password"] = SignedIn(400, (_, _) => Path("/api/v1/me/password", new { currentPassword = "not-the-password-1", newPassword = "a-good-password-1" })),
        ["DELETE /api/v1/me"] = SignedIn(400, (_, _) => Path("/api/v1/me", new { password = "not-the-password-1", confirm = true })),
        // Personal data (issue 16): each person's own export and what deleting the account would take.
        ["GET /api/v1/me/export"] = SignedIn(200, (_, _) => Path("/api/v1/me/export")),
        ["GET /api/v1/me/deletion"] = SignedIn(200, (_, _) => Path("/api/v1/me/deletion")),
        // Notification mail (issue 17): each person's own setting.
        ["GET /api/v1/me/notification-settings"] = SignedIn(200, (_, _) => Path("/api/v1/me/notification-settings")),
        ["PUT /api/v1/me/notification-settings"] = SignedIn(200, (_, _) => Path("/api/v1/me/notification-settings", new { mail = "daily" })),
        // CPU and memory quota (issue 16): each person reads what they run against it.
        ["GET /api/v1/me/quota"] = SignedIn(200, (_, _) => Path("/api/v1/me/quota")),
        ["GET /api/v1/tokens"] = SignedIn(200, (_, _) => Path("/api/v1/tokens")),
        ["POST /api/v1/tokens"] = SignedIn(201, (_, _) => Path("/api/v1/tokens", new { name = "matrix", expiresInDays = 1 })),
        ["DELETE /api/v1/tokens/{id:long}"] = SignedIn(204, (f, role) => Path($"/api/v1/tokens/{f.TokenIds.GetValueOrDefault(role, 1)}")),

        // Administrators only.
        ["GET /api/v1/admin/users"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/users?q=matrix&role=student&status=active&page=1&pageSize=5")),
        ["POST /api/v1/admin/users/{id:long}/approve"] = AdminOnly(200, (f, _) => Path($"/api/v1/admin/users/{f.Pending.Id}/approve")),
        ["POST /api/v1/admin/users/{id:long}/disable"] = AdminOnly(200, (f, _) => Path($"/api/v1/admin/users/{f.Victim.Id}/disable")),
        ["POST /api/v1/admin/users/{id:long}/enable"] = AdminOnly(200, (f, _) => Path($"/api/v1/admin/users/{f.Victim.Id}/enable")),
        ["PUT /api/v1/admin/users/{id:long}/role"] = AdminOnly(200, (f, _) => Path($"/api/v1/admin/users/{f.Victim.Id}/role", new { role = "student" })),
        ["DELETE /api/v1/admin/users/{id:long}"] = AdminOnly(204, (f, _) => Path($"/api/v1/admin/users/{f.Doomed.Id}")),
        ["GET /api/v1/admin/settings"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/settings")),
        ["PUT /api/v1/admin/settings"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/settings",
            new { allowedEmailDomains = Array.Empty<string>(), maxWorkspacesPerUser = 3, maxCoursesPerEducator = 20, maxCoursesPerStudent = 30 })),
        ["GET /api/v1/admin/quotas"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/quotas")),
        ["PUT /api/v1/admin/quotas"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/quotas",
            new { cpusPerUser = 4, memoryBytesPerUser = 4L * 1024 * 1024 * 1024, exemptAdmins = false })),
        ["GET /api/v1/admin/overview"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/overview")),
        ["GET /api/v1/admin/audit"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/audit?action=signin.*&q=matrix&page=1&pageSize=5")),
        ["GET /api/v1/admin/audit/export"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/audit/export?from=2026-01-01&to=2026-12-31&format=csv")),
        ["GET /api/v1/admin/mail"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/mail?page=1&pageSize=5")),
        ["GET /api/v1/admin/host"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/host?hours=1")),
        ["GET /api/v1/admin/alerts"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/alerts?status=open&page=1&pageSize=5")),
        // Storage and images (issue 16). No image exists in this fixture: the administrator gets past authorization to a 404.
        ["GET /api/v1/admin/storage"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/storage")),
        ["GET /api/v1/admin/images"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/images")),
        ["DELETE /api/v1/admin/images/{id}"] = AdminOnly(404, (_, _) => Path("/api/v1/admin/images/snapshot-999999999")),
        // LTI 1.3 platforms (issue 17). Each admin call registers another client id; no platform 999999999 exists.
        ["GET /api/v1/admin/lti/platforms"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/lti/platforms")),
        ["POST /api/v1/admin/lti/platforms"] = AdminOnly(201, (_, _) => Path("/api/v1/admin/lti/platforms", new
        {
            issuer = "https://lms.example.org", clientId = $"matrix-{Guid.NewGuid():N}", keySetUrl = "https://lms.example.org/jwks",
            authUrl = "https://lms.example.org/auth", accessTokenUrl = "https://lms.example.org/token", deploymentIds = new[] { "1" },
        })),
        ["DELETE /api/v1/admin/lti/platforms/{id:long}"] = AdminOnly(404, (_, _) => Path("/api/v1/admin/lti/platforms/999999999")),
        // LTI roster sync (issue 17): for a course's educators; no course 999999999 exists, so everyone signed in gets 404.
        ["POST /api/v1/lti/courses/{id:long}/roster-sync"] = SignedIn(404, (_, _) => Path("/api/v1/lti/courses/999999999/roster-sync")),
        // LTI grade passback (issue 17): for the assignment's educators; no assignment 999999999 exists.
        ["POST /api/v1/lti/assignments/{id:long}/scores"] = SignedIn(404, (_, _) => Path("/api/v1/lti/assignments/999999999/scores")),
        // No alert exists in this fixture: the administrator gets past authorization to a 404.
        ["POST /api/v1/admin/alerts/{id:long}/acknowledge"] = AdminOnly(404, (_, _) => Path("/api/v1/admin/alerts/999999999/acknowledge")),

        // The container console. This host runs without the platform: reads answer from the database,
        // changes and live streams answer 503 (Workloads/WorkloadApiTests covers them with the engine).
        ["GET /api/v1/admin/workloads"] = AdminOnly(200, (_, _) => Path("/api/v1/admin/workloads?kind=test&state=running&q=matrix&page=1&pageSize=5")),
        ["GET /api/v1/admin/workloads/{id}"] = AdminOnly(200, (f, _) => Path($"/api/v1/admin/workloads/{f.WorkloadId}")),
        ["POST /api/v1/admin/workloads/{id}/start"] = AdminOnly(503, (f, _) => Path($"/api/v1/admin/workloads/{f.WorkloadId}/start")),
        ["POST /api/v1/admin/workloads/{id}/stop"] = AdminOnly(503, (f, _) => Path($"/api/v1/admin/workloads/{f.WorkloadId}/stop")),
        ["POST /api/v1/admin/workloads/{id}/restart"] = AdminOnly(503, (f, _) => Path($"/api/v1/admin/workloads/{f.WorkloadId}/restart")),
        ["PUT /api/v1/admin/workloads/{id}/replicas"] = AdminOnly(503, (f, _) => Path($"/api/v1/admin/workloads/{f.WorkloadId}/replicas", new { replicas = 2 })),
        ["DELETE /api/v1/admin/workloads/{id}"] = AdminOnly(503, (f, _) => Path($"/api/v1/admin/workloads/{f.WorkloadId}")),
        ["GET /api/v1/admin/workloads/{id}/logs"] = AdminOnly(503, (f, _) => Path($"/api/v1/admin/workloads/{f.WorkloadId}/logs?tail=10&follow=false")),
        ["GET /api/v1/admin/workloads/{id}/stats"] = AdminOnly(503, (f, _) => Path($"/api/v1/admin/workloads/{f.WorkloadId}/stats")),

        // Projects: anyone signed in creates and lists their own; another's project is a 404 to all but administrators,
        // who get past authorization (this host has no platform: changes that restart the app answer 502, logs 503).
        ["POST /api/v1/projects"] = SignedIn(201, (_, _) => Path("/api/v1/projects", new { name = $"m-{Guid.NewGuid():N}"[..20], access = "public" })),
        ["GET /api/v1/projects"] = SignedIn(200, (_, _) => Path("/api/v1/projects")),
        ["GET /api/v1/projects/{id:long}"] = Project(200, f => $"/api/v1/projects/{f.Project}"),
        ["PUT /api/v1/projects/{id:long}"] = Project(200, f => $"/api/v1/projects/{f.Project}", new { access = "private" }),
        ["DELETE /api/v1/projects/{id:long}"] = Project(204, f => $"/api/v1/projects/{f.DoomedProject}"),
        // No multipart body: past authorization the administrator is told how to send the ZIP.
        ["POST /api/v1/projects/{id:long}/source"] = Project(415, f => $"/api/v1/projects/{f.Project}/source"),
        ["POST /api/v1/projects/{id:long}/deploy"] = Project(202, f => $"/api/v1/projects/{f.Project}/deploy"),
        ["GET /api/v1/projects/{id:long}/builds/{buildId:long}/log"] = Project(200, f => $"/api/v1/projects/{f.Project}/builds/{f.Build}/log?follow=false"),
        ["GET /api/v1/projects/{id:long}/revisions"] = Project(200, f => $"/api/v1/projects/{f.Project}/revisions"),
        ["POST /api/v1/projects/{id:long}/revisions/{rev:int}/rollback"] = Project(502, f => $"/api/v1/projects/{f.Project}/revisions/1/rollback"),
        ["PUT /api/v1/projects/{id:long}/env"] = Project(502, f => $"/api/v1/projects/{f.Project}/env", new { variables = new Dictionary<string, string> { ["GREETING"] = "hi" } }),
        ["PUT /api/v1/projects/{id:long}/scaling"] = Project(200, f => $"/api/v1/projects/{f.Project}/scaling", new { idleMinutes = 10 }),
        ["GET /api/v1/projects/{id:long}/logs"] = Project(503, f => $"/api/v1/projects/{f.Project}/logs?follow=false"),
        // Push-to-deploy: the webhook's address and a renewed secret for those who manage the project; the receiver is
        // anonymous (the Git host signs instead): an unsigned call is refused the same for everyone, signed in or not.
        ["GET /api/v1/projects/{id:long}/hook"] = Project(200, f => $"/api/v1/projects/{f.Project}/hook"),
        ["POST /api/v1/projects/{id:long}/hook"] = Project(200, f => $"/api/v1/projects/{f.Project}/hook"),
        ["POST /api/v1/hooks/git/{projectId:long}"] = Everyone(401, (f, _) => Path($"/api/v1/hooks/git/{f.Project}", new { @ref = "refs/heads/main" })),
        // Custom domains: for those who manage the project. Verify and remove name a domain the project lacks, so the
        // administrator's call ends before any DNS lookup (no DNS traffic from tests). Caddy's question is anonymous.
        ["GET /api/v1/projects/{id:long}/domains"] = Project(200, f => $"/api/v1/projects/{f.Project}/domains"),
        ["POST /api/v1/projects/{id:long}/domains"] = Project(201, f => $"/api/v1/projects/{f.Project}/domains", new { domain = $"m{Guid.NewGuid():N}.example.org" }),
        ["POST /api/v1/projects/{id:long}/domains/{domain}/verify"] = Project(404, f => $"/api/v1/projects/{f.Project}/domains/none.example.org/verify"),
        ["DELETE /api/v1/projects/{id:long}/domains/{domain}"] = Project(404, f => $"/api/v1/projects/{f.Project}/domains/none.example.org"),
        ["GET /api/v1/domains/ask"] = Everyone(404, (_, _) => Path("/api/v1/domains/ask?domain=none.example.org")),
    };

    /// <summary>"METHOD /pattern" for every API route the running app maps.</summary>
    List<string> MappedRoutes() =>
        host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Distinct().Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Every_api_route_has_a_row()
    {
        var mapped = MappedRoutes();
        // Course and group routes have their own, finer matrices (Courses/FeatureMatrices.cs).
        var missing = mapped.Except(Rows.Keys).Where(r => !Courses.FeatureMatrices.Covers(r)).ToList();
        var stale = Rows.Keys.Except(mapped).ToList();
        var message = new StringBuilder();
        if (missing.Count > 0)
        {
            message.Append("These API routes have no row in AuthorizationMatrixTests.Rows; add one with the status each caller ")
                .Append("(anonymous, student, pending educator, educator, admin) must get:\n  ").AppendJoin("\n  ", missing).Append('\n');
        }
        if (stale.Count > 0)
        {
            message.Append("These rows of AuthorizationMatrixTests.Rows match no route any more:\n  ").AppendJoin("\n  ", stale);
        }
        Assert.True(message.Length == 0, message.ToString());
    }

    [Fact]
    public async Task Every_route_answers_each_caller_with_the_expected_status()
    {
        var fixture = await Fixture.CreateAsync(host);
        var wrong = new List<string>();
        foreach (var (route, row) in Rows.Where(r => MappedRoutes().Contains(r.Key)))
        {
            var method = new HttpMethod(route[..route.IndexOf(' ', StringComparison.Ordinal)]);
            for (var i = 0; i < Callers.Length; i++)
            {
                var caller = Callers[i];
                var (path, body) = row.Call(fixture, caller);
                using var request = new HttpRequestMessage(method, path);
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body);
                }
                if (fixture.Cookies.TryGetValue(caller, out var cookie))
                {
                    request.Headers.Add("Cookie", cookie);
                }
                using var client = host.NewClient(ClasscloudHost.ClientAddress, cookies: false);
                using var response = await client.SendAsync(request);
                if ((int)response.StatusCode != row.Expected[i])
                {
                    var text = await response.Content.ReadAsStringAsync();
                    wrong.Add($"{route} as {caller}: expected {row.Expected[i]}, got {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
                }
            }
        }
        Assert.True(wrong.Count == 0, "Authorization matrix mismatches:\n" + string.Join("\n", wrong));
    }

    /// <summary>The callers' sessions (as cookie headers, so no call changes another's session) and the accounts routes act on.</summary>
    sealed class Fixture
    {
        public Dictionary<TestRole, string> Cookies { get; } = [];
        public Dictionary<TestRole, long> TokenIds { get; } = [];
        public required TestUser LoginTarget { get; init; }
        public required TestUser Pending { get; init; }
        public required TestUser Victim { get; init; }
        public required TestUser Doomed { get; init; }
        public string WorkloadId { get; } = $"matrix-{Guid.NewGuid():N}"[..20];
        public long Project { get; private set; }
        public long DoomedProject { get; private set; }
        public long Build { get; private set; }

        public static async Task<Fixture> CreateAsync(ClasscloudHost host)
        {
            var fixture = new Fixture
            {
                LoginTarget = await host.UserAsync(TestRole.Student),
                Pending = await host.UserAsync(TestRole.PendingEducator),
                Victim = await host.UserAsync(TestRole.Student),
                Doomed = await host.UserAsync(TestRole.Student),
            };
            await host.WithDbAsync(async db =>
            {
                db.Workloads.Add(new Classcloud.Web.Orchestration.Workload
                {
                    Id = fixture.WorkloadId,
                    Kind = "test",
                    SpecJson = new Classcloud.Web.Orchestration.WorkloadDefinition { Image = "classcloud-test/base:1" }.ToJson(),
                    CreatedAt = DateTime.UtcNow,
                    UpdatedAt = DateTime.UtcNow,
                });
                return await db.SaveChangesAsync();
            });
            await fixture.AddProjectsAsync(host);
            foreach (var role in Callers.Where(r => r != TestRole.Anonymous))
            {
                var user = await host.UserAsync(role);
                using var client = host.NewClient(ClasscloudHost.ClientAddress, cookies: false);
                var login = await client.LoginAsync(user.Email, user.Password);
                await login.StatusAsync(HttpStatusCode.OK);
                var cookie = new StringBuilder();
                foreach (var header in login.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("classcloud.auth", StringComparison.Ordinal)))
                {
                    cookie.Append(header[..header.IndexOf(';', StringComparison.Ordinal)]).Append("; ");
                }
                fixture.Cookies[role] = cookie.ToString();
                var token = await (await user.Client.PostAsJsonAsync("/api/v1/tokens", new { name = "matrix", expiresInDays = 1 }))
                    .OkAsync<Classcloud.Web.Accounts.CreatedTokenDto>(HttpStatusCode.Created);
                fixture.TokenIds[role] = token.Id;
            }
            return fixture;
        }

        /// <summary>Two projects of <see cref="Victim"/>; the first has a source, a finished build and revision 1 (current).</summary>
        async Task AddProjectsAsync(ClasscloudHost host)
        {
            await host.WithDbAsync(async db =>
            {
                var now = DateTime.UtcNow;
                var project = new Classcloud.Web.Projects.Project { Name = $"m-{Guid.NewGuid():N}"[..20], OwnerId = Victim.Id, Access = "public", SourceUploadedAt = now, CreatedAt = now, UpdatedAt = now };
                var doomed = new Classcloud.Web.Projects.Project { Name = $"m-{Guid.NewGuid():N}"[..20], OwnerId = Victim.Id, CreatedAt = now, UpdatedAt = now };
                db.Projects.AddRange(project, doomed);
                await db.SaveChangesAsync();
                var build = new Classcloud.Web.Projects.ProjectBuild { ProjectId = project.Id, Status = "failed", Log = "matrix\n", RequestedById = Victim.Id, CreatedAt = now, FinishedAt = now };
                db.ProjectBuilds.Add(build);
                await db.SaveChangesAsync();
                var revision = new Classcloud.Web.Projects.ProjectRevision { ProjectId = project.Id, Number = 1, BuildId = build.Id, Image = "127.0.0.1:5000/classcloud/app/1/matrix:r1", Template = "static", CreatedAt = now };
                db.ProjectRevisions.Add(revision);
                await db.SaveChangesAsync();
                project.CurrentRevisionId = revision.Id;
                (Project, DoomedProject, Build) = (project.Id, doomed.Id, build.Id);
                return await db.SaveChangesAsync();
            });
        }
    }
}

public sealed class SqliteAuthorizationMatrixTests(SqliteHost host) : AuthorizationMatrixTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresAuthorizationMatrixTests(PostgresHost host) : AuthorizationMatrixTests(host), IClassFixture<PostgresHost>;
