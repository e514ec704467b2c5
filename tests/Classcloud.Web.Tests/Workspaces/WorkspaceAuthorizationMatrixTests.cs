using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Every workspace route × {anonymous, owner, other user, administrator} with the exact status
/// (finer relations — course member, course educator, public guest — are in WorkspacePermissionTests).
/// A route without a row fails <see cref="Every_workspace_route_has_a_row"/>. Routes that change
/// something act on a workspace made for that one call, in the state the route needs.
/// </summary>
public abstract class WorkspaceAuthorizationMatrixTests(ClasscloudHost host)
{
    public enum Who
    {
        Anonymous,
        Owner,
        Other,
        Admin,
    }

    static readonly Who[] Callers = [Who.Anonymous, Who.Owner, Who.Other, Who.Admin];

    sealed record Row(int[] Expected, Func<Cast, Who, Task<(string Path, object? Body)>> Call);

    static Row R(int anonymous, int owner, int other, int admin, Func<Cast, Who, Task<(string, object?)>> call) => new([anonymous, owner, other, admin], call);

    static Task<(string, object?)> P(string path, object? body = null) => Task.FromResult<(string, object?)>((path, body));

    static object Settings => new { name = "matrix", description = "d", kind = "terminal", visibility = "private", guestAccess = "view" };

    static readonly Dictionary<string, Row> Rows = new()
    {
        ["POST /api/v1/workspaces"] = R(401, 201, 201, 201, (_, _) => P("/api/v1/workspaces", Settings)),
        ["GET /api/v1/workspaces"] = R(401, 200, 200, 200, (_, _) => P("/api/v1/workspaces")),
        ["GET /api/v1/workspace-sizes"] = R(401, 200, 200, 200, (_, _) => P("/api/v1/workspace-sizes")),
        ["GET /api/v1/workspaces/public"] = R(401, 200, 200, 200, (_, _) => P("/api/v1/workspaces/public?q=matrix")),
        ["POST /api/v1/workspaces/load"] = R(401, 201, 201, 201, async (c, _) =>
            ("/api/v1/workspaces/load", new { key = await c.KeyAsync(), name = "loaded", visibility = "private", guestAccess = "view" })),
        ["GET /api/v1/workspaces/{id:long}"] = R(401, 200, 404, 200, (c, _) => P($"/api/v1/workspaces/{c.Shared}")),
        ["PUT /api/v1/workspaces/{id:long}"] = R(401, 200, 404, 403, async (c, _) =>
            ($"/api/v1/workspaces/{await c.WorkspaceAsync(WorkspaceState.Stopped)}", Settings)),
        ["DELETE /api/v1/workspaces/{id:long}"] = R(401, 202, 404, 202, async (c, _) =>
            ($"/api/v1/workspaces/{await c.WorkspaceAsync(WorkspaceState.Stopped)}", null)),
        ["POST /api/v1/workspaces/{id:long}/start"] = R(401, 202, 404, 202, async (c, _) =>
            ($"/api/v1/workspaces/{await c.WorkspaceAsync(WorkspaceState.Stopped)}/start", null)),
        ["POST /api/v1/workspaces/{id:long}/stop"] = R(401, 202, 404, 202, async (c, _) =>
            ($"/api/v1/workspaces/{await c.WorkspaceAsync(WorkspaceState.Running)}/stop", null)),
        ["POST /api/v1/workspaces/{id:long}/save"] = R(401, 202, 404, 202, async (c, _) =>
            ($"/api/v1/workspaces/{await c.WorkspaceAsync(WorkspaceState.Stopped)}/save", null)),
        // The matrix's workspace is personal: the owner and an administrator are told only course workspaces have a hand (ClassViewTests has the course cases).
        ["POST /api/v1/workspaces/{id:long}/hand"] = R(401, 409, 404, 409, (c, _) => P($"/api/v1/workspaces/{c.Shared}/hand", new { raised = true })),
        // Files move only while the workspace runs: the shared one is stopped, so those who may are told so (409); the engine
        // tests (WorkspaceFilesEngineTests) have the running cases and the watchers' 403.
        ["POST /api/v1/workspaces/{id:long}/files"] = R(401, 409, 404, 409, (c, _) => P($"/api/v1/workspaces/{c.Shared}/files")),
        ["GET /api/v1/workspaces/{id:long}/files"] = R(401, 409, 404, 409, (c, _) => P($"/api/v1/workspaces/{c.Shared}/files?path=notes.txt")),
        ["GET /api/v1/workspaces/{id:long}/snapshots"] = R(401, 200, 404, 200, (c, _) => P($"/api/v1/workspaces/{c.Shared}/snapshots")),
        ["POST /api/v1/workspaces/{id:long}/export"] = R(401, 200, 404, 403, (c, _) => P($"/api/v1/workspaces/{c.Shared}/export", new { expiresInDays = 7 })),
        ["GET /api/v1/workspaces/{id:long}/keys"] = R(401, 200, 404, 200, (c, _) => P($"/api/v1/workspaces/{c.Shared}/keys")),
        ["DELETE /api/v1/workspace-keys/{keyId:long}"] = R(401, 204, 404, 204, async (c, _) => ($"/api/v1/workspace-keys/{await c.KeyIdAsync()}", null)),
    };

    /// <summary>The WebSockets belong to the gateway, whose own tests hold their matrix.</summary>
    static bool IsGateway(string route) => route.EndsWith("/terminal", StringComparison.Ordinal) || route.EndsWith("/vnc", StringComparison.Ordinal);

    List<string> MappedRoutes() =>
        host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => FeatureMatrices.WorkspacePrefixes.Any(p => e.RoutePattern.RawText?.StartsWith(p, StringComparison.Ordinal) == true))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Where(r => !IsGateway(r))
            .Distinct().Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Every_workspace_route_has_a_row()
    {
        var mapped = MappedRoutes();
        var missing = mapped.Except(Rows.Keys).ToList();
        var stale = Rows.Keys.Except(mapped).ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            $"Routes without a row:\n  {string.Join("\n  ", missing)}\nRows without a route:\n  {string.Join("\n  ", stale)}");
    }

    [Fact]
    public async Task Every_route_answers_each_caller_with_the_expected_status()
    {
        var cast = await Cast.CreateAsync(host);
        var wrong = new List<string>();
        foreach (var (route, row) in Rows)
        {
            var method = new HttpMethod(route[..route.IndexOf(' ', StringComparison.Ordinal)]);
            for (var i = 0; i < Callers.Length; i++)
            {
                var (path, body) = await row.Call(cast, Callers[i]);
                using var request = new HttpRequestMessage(method, path);
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body);
                }
                using var response = await cast.Client(Callers[i]).SendAsync(request);
                if ((int)response.StatusCode != row.Expected[i])
                {
                    var text = await response.Content.ReadAsStringAsync();
                    wrong.Add($"{route} as {Callers[i]}: expected {row.Expected[i]}, got {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
                }
            }
        }
        Assert.True(wrong.Count == 0, "Workspace authorization mismatches:\n" + string.Join("\n", wrong));
    }

    /// <summary>The callers and the owner's shared workspace (stopped, saved once), which no row changes.</summary>
    sealed class Cast
    {
        public required ClasscloudHost Host { get; init; }
        public required TestUser Anonymous { get; init; }
        public required TestUser Owner { get; init; }
        public required TestUser Other { get; init; }
        public required TestUser Admin { get; init; }
        public required long Shared { get; init; }

        public HttpClient Client(Who who) => who switch
        {
            Who.Owner => Owner.Client,
            Who.Other => Other.Client,
            Who.Admin => Admin.Client,
            _ => Anonymous.Client,
        };

        public static async Task<Cast> CreateAsync(ClasscloudHost host)
        {
            var admin = await host.AdminAsync();
            await (await admin.Client.PutAsJsonAsync("/api/v1/admin/settings",
                new { allowedEmailDomains = Array.Empty<string>(), maxWorkspacesPerUser = 10_000, maxCoursesPerEducator = 20, maxCoursesPerStudent = 30 }))
                .StatusAsync(HttpStatusCode.OK);
            var owner = await host.UserAsync(TestRole.Student);
            var shared = await WorkspaceRows.AddAsync(host, owner.Id);
            await WorkspaceRows.SnapshotAsync(host, shared);
            return new Cast
            {
                Host = host,
                Anonymous = await host.UserAsync(TestRole.Anonymous),
                Owner = owner,
                Other = await host.UserAsync(TestRole.Student),
                Admin = admin,
                Shared = shared,
            };
        }

        public Task<long> WorkspaceAsync(WorkspaceState state) => WorkspaceRows.AddAsync(Host, Owner.Id, state);

        public async Task<string> KeyAsync() => (await ExportAsync()).GetProperty("key").GetString()!;

        public async Task<long> KeyIdAsync() => (await ExportAsync()).GetProperty("id").GetInt64();

        async Task<JsonElement> ExportAsync() => await Api.OkAsync(Owner.Client.PostAsJsonAsync($"/api/v1/workspaces/{Shared}/export", new { }));
    }
}

public sealed class SqliteWorkspaceAuthorizationMatrixTests(SqliteHost host) : WorkspaceAuthorizationMatrixTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresWorkspaceAuthorizationMatrixTests(PostgresHost host) : WorkspaceAuthorizationMatrixTests(host), IClassFixture<PostgresHost>;
