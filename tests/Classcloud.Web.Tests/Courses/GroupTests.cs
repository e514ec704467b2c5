using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Courses;

public enum GroupTestRole
{
    Anonymous,
    Outsider,
    Invited,
    Member,
    Manager,
    Owner,
    Admin,
}

/// <summary>A group with an owner, a manager, two members and a pending invitation, from the course cast's accounts.</summary>
public sealed record GroupFixture(long Id, long InvitationId);

/// <summary>Groups (seed 002 §2.3): roles owner/manager/member, invitations by e-mail, and every route × role.</summary>
public abstract class GroupTests(ClasscloudHost host)
{
    //                      Anonymous Outsider Invited Member Manager Owner Admin
    const string Everyone = "401 201 201 201 201 201 201";

    static readonly (string Name, string Method, Func<GroupFixture, CourseCast, string> Path, Func<CourseCast, HttpContent>? Body, string Expected, bool Fresh)[] Matrix =
    [
        ("create group", "POST", (_, _) => "/api/v1/groups", _ => JsonContent.Create(new { name = "Study", kind = "study" }), Everyone, false),
        ("my groups", "GET", (_, _) => "/api/v1/groups", null, "401 200 200 200 200 200 200", false),
        ("get group", "GET", (g, _) => $"/api/v1/groups/{g.Id}", null, "401 404 200 200 200 200 200", false),
        ("update group", "PUT", (g, _) => $"/api/v1/groups/{g.Id}", _ => JsonContent.Create(new { name = "Renamed", description = "d", kind = "club" }), "401 404 403 403 200 200 200", false),
        ("delete group", "DELETE", (g, _) => $"/api/v1/groups/{g.Id}", null, "401 404 403 403 403 204 204", true),
        ("invite", "POST", (g, _) => $"/api/v1/groups/{g.Id}/invitations", _ => JsonContent.Create(new { email = TestAccounts.NewEmail("invitee") }), "401 404 403 403 201 201 201", false),
        ("change role", "PUT", (g, c) => $"/api/v1/groups/{g.Id}/members/{c.Classmate.Id}", _ => JsonContent.Create(new { role = "manager" }), "401 404 403 403 403 200 200", true),
        ("remove member", "DELETE", (g, c) => $"/api/v1/groups/{g.Id}/members/{c.Classmate.Id}", null, "401 404 403 403 204 204 204", true),
        ("leave group", "DELETE", (g, _) => $"/api/v1/groups/{g.Id}/members/me", null, "401 404 404 204 204 409 404", true),
        ("my invitations", "GET", (_, _) => "/api/v1/groups/invitations", null, "401 200 200 200 200 200 200", false),
        ("accept invitation", "POST", (g, _) => $"/api/v1/groups/invitations/{g.InvitationId}/accept", null, "401 404 200 404 404 404 404", true),
        ("decline invitation", "POST", (g, _) => $"/api/v1/groups/invitations/{g.InvitationId}/decline", null, "401 404 204 404 404 404 404", true),
        ("admin group list", "GET", (_, _) => "/api/v1/admin/groups?q=Group", null, "401 403 403 403 403 403 200", false),
        ("admin delete group", "DELETE", (g, _) => $"/api/v1/admin/groups/{g.Id}", null, "401 403 403 403 403 403 204", true),
    ];

    static readonly ConcurrentDictionary<ClasscloudHost, Lazy<Task<GroupFixture>>> Shared = new();

    public static TheoryData<string> Routes => new(Matrix.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Group_route_answers_every_role_with_the_exact_status(string route)
    {
        var row = Matrix.Single(r => r.Name == route);
        var cast = await CourseCast.ForAsync(host);
        var shared = row.Fresh ? null : await Shared.GetOrAdd(host, _ => new Lazy<Task<GroupFixture>>(() => NewGroupAsync(cast))).Value;
        var expected = row.Expected.Split(' ').Select(int.Parse).ToArray();
        var failures = new List<string>();
        foreach (var role in Enum.GetValues<GroupTestRole>())
        {
            var group = shared ?? await NewGroupAsync(cast);
            using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Path(group, cast)) { Content = row.Body?.Invoke(cast) };
            using var response = await Who(cast, role).Client.SendAsync(request);
            if ((int)response.StatusCode != expected[(int)role])
            {
                var text = await response.Content.ReadAsStringAsync();
                failures.Add($"{role}: expected {expected[(int)role]}, got {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
            }
        }
        Assert.True(failures.Count == 0, $"{row.Method} {route}:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Every_group_route_has_a_row()
    {
        var placeholder = new GroupFixture(1, 1);
        var requests = Matrix.Select(r => (r.Method, r.Path(placeholder, RouteTable.PlaceholderCast)));
        Assert.Empty(RouteTable.Uncovered(host, FeatureMatrices.GroupPrefixes, requests));
    }

    [Fact]
    public async Task Invitation_to_an_unknown_address_is_mailed_and_accepted_after_sign_up()
    {
        var cast = await CourseCast.ForAsync(host);
        var group = await NewGroupAsync(cast);
        var email = TestAccounts.NewEmail("later");
        await Api.CreatedAsync(cast.CoEducator.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/invitations", new { email }));
        Assert.Single(await host.MailsToAsync(email));
        var twice = await Api.ExpectAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/invitations", new { email }), HttpStatusCode.Conflict);
        Assert.Contains("already been invited", twice.GetProperty("detail").GetString());
        await Api.ExpectAsync(cast.CoEducator.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/invitations", new { email = TestAccounts.NewEmail(), role = "manager" }), HttpStatusCode.Forbidden);
        await Api.ExpectAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/groups/{group.Id}/invitations", new { email = "not-an-address" }), HttpStatusCode.BadRequest);

        var newcomer = await host.UserAsync(TestRole.Student, email);
        var mine = await Api.OkAsync(newcomer.Client.GetAsync("/api/v1/groups/invitations"));
        var invitation = Assert.Single(mine.EnumerateArray());
        var joined = await Api.OkAsync(newcomer.Client.PostAsync($"/api/v1/groups/invitations/{invitation.GetProperty("id").GetInt64()}/accept", null));
        Assert.Equal("member", joined.GetProperty("myRole").GetString());
        Assert.True(await host.WithDbAsync(db => db.GroupMembers.AnyAsync(m => m.GroupId == group.Id && m.UserId == newcomer.Id)));
    }

    [Fact]
    public async Task The_last_owner_cannot_step_down_or_delete_the_account()
    {
        var user = await host.UserAsync(TestRole.Student);
        var group = await Api.CreatedAsync(user.Client.PostAsJsonAsync("/api/v1/groups", new { name = "Solo " + Guid.NewGuid().ToString("N")[..6], kind = "club" }));
        var id = group.GetProperty("id").GetInt64();
        Assert.Equal("owner", group.GetProperty("myRole").GetString());
        await Api.ExpectAsync(user.Client.PutAsJsonAsync($"/api/v1/groups/{id}/members/{user.Id}", new { role = "member" }), HttpStatusCode.Conflict);
        var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = user.Password, confirm = true }) };
        var refused = await Api.ExpectAsync(user.Client.SendAsync(request), HttpStatusCode.Conflict);
        Assert.Contains(group.GetProperty("name").GetString()!, refused.GetProperty("detail").GetString());
        await Api.ExpectAsync(user.Client.PostAsJsonAsync("/api/v1/groups", new { name = "x", kind = "party" }), HttpStatusCode.BadRequest);
    }

    static TestUser Who(CourseCast cast, GroupTestRole role) => role switch
    {
        GroupTestRole.Anonymous => cast.Anonymous,
        GroupTestRole.Outsider => cast.Outsider,
        GroupTestRole.Invited => cast.Applicant,
        GroupTestRole.Member => cast.Member,
        GroupTestRole.Manager => cast.CoEducator,
        GroupTestRole.Owner => cast.Owner,
        _ => cast.Admin,
    };

    /// <summary>Owner: cast.Owner; manager: cast.CoEducator; members: cast.Member and cast.Classmate; invited: cast.Applicant.</summary>
    static async Task<GroupFixture> NewGroupAsync(CourseCast cast)
    {
        var group = await Api.CreatedAsync(cast.Owner.Client.PostAsJsonAsync("/api/v1/groups", new { name = "Group " + Guid.NewGuid().ToString("N")[..8], description = "d", kind = "team" }));
        var id = group.GetProperty("id").GetInt64();
        foreach (var (user, role) in new[] { (cast.CoEducator, "manager"), (cast.Member, "member"), (cast.Classmate, "member") })
        {
            var invitation = await Api.CreatedAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/groups/{id}/invitations", new { email = user.Email, role }));
            await Api.OkAsync(user.Client.PostAsync($"/api/v1/groups/invitations/{invitation.GetProperty("id").GetInt64()}/accept", null));
        }
        var pending = await Api.CreatedAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/groups/{id}/invitations", new { email = cast.Applicant.Email }));
        return new GroupFixture(id, pending.GetProperty("id").GetInt64());
    }
}

public sealed class SqliteGroupTests(SqliteHost host) : GroupTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresGroupTests(PostgresHost host) : GroupTests(host), IClassFixture<PostgresHost>;
