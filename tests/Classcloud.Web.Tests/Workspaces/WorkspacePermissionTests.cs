using System.Net;
using System.Security.Claims;
using Classcloud.Web.Data;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Classcloud.Web.Gateway;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Who may see and connect to a workspace (issue 5; seed 000 §3.3.7, §3.4.2.2 item 7, §3.5.5):
/// owner × {owner, outsider, classmate, course member, course educator, administrator, anonymous}
/// × visibility × guest access, for GET /api/v1/workspaces/{id} and for the gateway's decision
/// (<see cref="IGatewayTargets"/>: allowed, and whether the person controls or only views).
/// </summary>
public abstract class WorkspacePermissionTests(ClasscloudHost host)
{
    /// <summary>Whose workspace: a student's or the educator's, linked to the course or not.</summary>
    public enum Owner
    {
        StudentLinked,
        EducatorLinked,
        StudentUnlinked,
    }

    public enum Person
    {
        Owner,
        Outsider,
        Classmate,
        Student,
        Educator,
        CoEducator,
        Admin,
        Anonymous,
    }

    /// <summary>The expected relation, written out rather than computed: who joins whom through the course.</summary>
    static string Expected(Owner owner, Person person, WorkspaceVisibility visibility) => (owner, person) switch
    {
        (_, Person.Anonymous) => "anonymous",
        (_, Person.Owner) => "owner",
        (_, Person.Admin) => "admin",
        // A student's course workspace: the course's educators join it; classmates do not.
        (Owner.StudentLinked, Person.Educator or Person.CoEducator) => "course-educator",
        // The educator's course workspace: every member of the course joins it.
        (Owner.EducatorLinked, Person.Student or Person.Classmate or Person.CoEducator) => "course-member",
        _ => visibility == WorkspaceVisibility.Public ? "guest" : "none",
    };

    [Fact]
    public async Task Get_and_connect_follow_the_relation_visibility_and_guest_access()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        // Member (the owner of a student's workspace), Classmate (another student), Owner/CoEducator teach.
        var people = new Dictionary<Person, TestUser>
        {
            [Person.Outsider] = cast.Outsider,
            [Person.Classmate] = cast.Classmate,
            [Person.Student] = cast.Author,
            [Person.Educator] = cast.Owner,
            [Person.CoEducator] = cast.CoEducator,
            [Person.Admin] = cast.Admin,
            [Person.Anonymous] = cast.Anonymous,
        };
        var wrong = new List<string>();
        foreach (var owner in Enum.GetValues<Owner>())
        {
            var ownerUser = owner == Owner.EducatorLinked ? cast.Owner : cast.Member;
            foreach (var visibility in Enum.GetValues<WorkspaceVisibility>())
            {
                foreach (var guests in Enum.GetValues<GuestAccess>())
                {
                    var id = await WorkspaceRows.AddAsync(host, ownerUser.Id, WorkspaceState.Running, visibility, guests,
                        owner == Owner.StudentUnlinked ? null : course.Id);
                    foreach (var person in Enum.GetValues<Person>())
                    {
                        var user = person == Person.Owner ? ownerUser : people[person];
                        if (person != Person.Owner && user.Id == ownerUser.Id)
                        {
                            continue; // the educator's own workspace: "Educator" is the owner there
                        }
                        var relation = Expected(owner, person, visibility);
                        var expectedGet = relation switch { "anonymous" => 401, "none" => 404, _ => 200 };
                        var controls = relation is "owner" or "admin" || (relation is not ("none" or "anonymous") && guests == GuestAccess.Control);
                        var label = $"{owner}/{visibility}/{guests} as {person}";
                        using var get = await user.Client.GetAsync($"/api/v1/workspaces/{id}");
                        if ((int)get.StatusCode != expectedGet)
                        {
                            wrong.Add($"{label}: GET expected {expectedGet}, got {(int)get.StatusCode}");
                        }
                        else if (expectedGet == 200)
                        {
                            var dto = await get.OkAsync<WorkspaceDto>();
                            if (dto.Relation != relation || dto.CanControl != controls)
                            {
                                wrong.Add($"{label}: GET says {dto.Relation}/{dto.CanControl}, expected {relation}/{controls}");
                            }
                        }
                        var target = await ResolveAsync(id, person == Person.Anonymous ? null : user);
                        var expectedGate = relation switch { "anonymous" => 401, "none" => 404, _ => 200 };
                        var gotGate = target.Succeeded ? 200 : target.Problem!.Status;
                        if (gotGate != expectedGate)
                        {
                            wrong.Add($"{label}: gateway expected {expectedGate}, got {gotGate} {target.Problem?.Detail}");
                        }
                        else if (target.Succeeded && (target.Value!.CanControl != controls || target.Value.UserId != user.Id || target.Value.WorkspaceId != id))
                        {
                            wrong.Add($"{label}: gateway target {target.Value}, expected control {controls}");
                        }
                    }
                }
            }
        }
        Assert.True(wrong.Count == 0, "Workspace permission mismatches:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task Connections_by_others_are_audited_and_a_stopped_workspace_refuses_them()
    {
        var owner = await host.UserAsync(TestRole.Student);
        var guest = await host.UserAsync(TestRole.Student);
        var id = await WorkspaceRows.AddAsync(host, owner.Id, WorkspaceState.Running, WorkspaceVisibility.Public, GuestAccess.View);
        Assert.True((await ResolveAsync(id, owner)).Succeeded);
        var target = await ResolveAsync(id, guest);
        Assert.True(target.Succeeded);
        Assert.False(target.Value!.CanControl);
        var entries = await host.WithDbAsync(db => db.Audit.Where(a => a.Action == "workspace.connect" && a.Target == $"workspace:{id}").ToListAsync());
        var entry = Assert.Single(entries);
        Assert.Contains("view only", entry.Detail, StringComparison.Ordinal);

        await WorkspaceRows.SetStateAsync(host, id, WorkspaceState.Stopped);
        var refused = await ResolveAsync(id, owner);
        Assert.Equal(409, refused.Problem?.Status);
        Assert.Contains("stopped", refused.Problem!.Detail, StringComparison.Ordinal);
        var vnc = await ResolveAsync(id, owner, GatewayChannel.Vnc);
        Assert.Equal(400, vnc.Problem?.Status);
    }

    [Fact]
    public async Task An_open_connection_stays_allowed_only_while_the_rules_still_allow_it_as_it_was_admitted()
    {
        var owner = await host.UserAsync(TestRole.Student);
        var guest = await host.UserAsync(TestRole.Student);
        var id = await WorkspaceRows.AddAsync(host, owner.Id, WorkspaceState.Running, WorkspaceVisibility.Public, GuestAccess.Control);
        Assert.True(await StillAllowedAsync(id, guest, hadControl: true));

        // Guests turned to view only: a guest in control must go (and may come back watching); a watching one stays.
        await host.WithDbAsync(db => db.Workspaces.Where(w => w.Id == id).ExecuteUpdateAsync(s => s.SetProperty(w => w.GuestAccess, GuestAccess.View)));
        Assert.False(await StillAllowedAsync(id, guest, hadControl: true));
        Assert.True(await StillAllowedAsync(id, guest, hadControl: false));

        // Made private: guests go; the owner stays.
        await host.WithDbAsync(db => db.Workspaces.Where(w => w.Id == id).ExecuteUpdateAsync(s => s.SetProperty(w => w.Visibility, WorkspaceVisibility.Private)));
        Assert.False(await StillAllowedAsync(id, guest, hadControl: false));
        Assert.True(await StillAllowedAsync(id, owner, hadControl: true));

        // A disabled account goes, whatever its cookie says.
        await host.WithDbAsync(db => db.Users.Where(u => u.Id == owner.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, Classcloud.Web.Accounts.AccountStatus.Disabled)));
        Assert.False(await StillAllowedAsync(id, owner, hadControl: true));
    }

    async Task<bool> StillAllowedAsync(long id, TestUser user, bool hadControl)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IGatewayTargets>().StillAllowedAsync(id, user.Id, hadControl, CancellationToken.None);
    }

    async Task<Classcloud.Web.Hosting.Outcome<GatewayTarget>> ResolveAsync(long id, TestUser? user, GatewayChannel channel = GatewayChannel.Terminal)
    {
        var identity = new ClaimsIdentity();
        if (user is not null)
        {
            var role = await host.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.Role).SingleAsync());
            identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Role, role.ToString().ToLowerInvariant())], "test");
        }
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IGatewayTargets>().ResolveAsync(id, new ClaimsPrincipal(identity), channel, CancellationToken.None);
    }
}

public sealed class SqliteWorkspacePermissionTests(SqliteHost host) : WorkspacePermissionTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresWorkspacePermissionTests(PostgresHost host) : WorkspacePermissionTests(host), IClassFixture<PostgresHost>;
