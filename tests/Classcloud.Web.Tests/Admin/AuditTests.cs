using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Admin;
using Classcloud.Web.Hosting;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Tests.Admin;

/// <summary>The audit log records who did what to whom from which address, and the API filters and pages it (seed 002 §2.3).</summary>
public abstract class AuditTests(ClasscloudHost host)
{
    static async Task<Paged<AuditDto>> QueryAsync(TestUser admin, string query) =>
        await (await admin.Client.GetAsync("/api/v1/admin/audit?" + query)).OkAsync<Paged<AuditDto>>();

    /// <summary>The one entry with this action about this target, with every field filled as expected.</summary>
    static async Task<AuditDto> EntryAsync(TestUser admin, string action, string target, long? actorId, string? actorEmail)
    {
        var page = await QueryAsync(admin, $"action={action}&q={Uri.EscapeDataString(target)}");
        var entry = Assert.Single(page.Items, e => e.Target == target);
        Assert.Equal(action, entry.Action);
        Assert.Equal(actorId, entry.ActorId);
        Assert.Equal(actorEmail, entry.ActorEmail);
        Assert.Equal(ClasscloudHost.ClientAddress.ToString(), entry.IpAddress);
        Assert.True(entry.At > DateTime.UtcNow.AddMinutes(-5) && entry.At <= DateTime.UtcNow.AddSeconds(5), $"At = {entry.At:O}");
        return entry;
    }

    [Fact]
    public async Task Account_life_cycle_is_recorded_with_actor_target_and_address()
    {
        var admin = await host.AdminAsync();
        var student = await host.UserAsync(TestRole.Student);
        await EntryAsync(admin, AuditActions.SignUp, student.Email, student.Id, student.Email);
        await EntryAsync(admin, AuditActions.Verify, student.Email, student.Id, student.Email);
        await EntryAsync(admin, AuditActions.SignInSuccess, student.Email, student.Id, student.Email);

        await host.NewClient().LoginAsync(student.Email, "wrong-password-1");
        var failure = await EntryAsync(admin, AuditActions.SignInFailure, student.Email, student.Id, student.Email);
        Assert.Equal("wrong password", failure.Detail);
        var unknown = TestAccounts.NewEmail("nobody");
        await host.NewClient().LoginAsync(unknown, "wrong-password-1");
        await EntryAsync(admin, AuditActions.SignInFailure, unknown, null, unknown);

        var pending = await host.UserAsync(TestRole.PendingEducator);
        await admin.Client.PostAsync($"/api/v1/admin/users/{pending.Id}/approve", null);
        await EntryAsync(admin, AuditActions.Approve, pending.Email, admin.Id, admin.Email);

        await admin.Client.PutAsJsonAsync($"/api/v1/admin/users/{student.Id}/role", new { role = "educator" });
        var role = await EntryAsync(admin, AuditActions.RoleChange, student.Email, admin.Id, admin.Email);
        Assert.Equal("student→educator", role.Detail);

        await admin.Client.PostAsync($"/api/v1/admin/users/{student.Id}/disable", null);
        await EntryAsync(admin, AuditActions.Disable, student.Email, admin.Id, admin.Email);
        await admin.Client.PostAsync($"/api/v1/admin/users/{student.Id}/enable", null);
        await EntryAsync(admin, AuditActions.Enable, student.Email, admin.Id, admin.Email);

        // An erased account's entries keep what happened under a pseudonym, not the name or address (issue 16).
        var selfPseudonym = AuditPseudonyms.Of((await host.FindUserAsync(pending.Email))!);
        await (await pending.Client.DeleteAsJsonAsync("/api/v1/me", new { password = pending.Password, confirm = true })).StatusAsync(HttpStatusCode.NoContent);
        var deleted = await EntryAsync(admin, AuditActions.Delete, selfPseudonym, null, selfPseudonym);
        Assert.Equal("by self", deleted.Detail);
        await EntryAsync(admin, AuditActions.Approve, selfPseudonym, admin.Id, admin.Email);
        var studentPseudonym = AuditPseudonyms.Of((await host.FindUserAsync(student.Email))!);
        await admin.Client.DeleteAsync($"/api/v1/admin/users/{student.Id}");
        Assert.Equal("by administrator", (await EntryAsync(admin, AuditActions.Delete, studentPseudonym, admin.Id, admin.Email)).Detail);
        Assert.Empty((await QueryAsync(admin, $"q={Uri.EscapeDataString(student.Email)}")).Items);
        Assert.Empty((await QueryAsync(admin, $"q={Uri.EscapeDataString(pending.Email)}")).Items);
    }

    [Fact]
    public async Task Token_and_settings_changes_are_recorded()
    {
        var admin = await host.AdminAsync();
        var user = await host.UserAsync(TestRole.Student);
        var name = "token-" + Guid.NewGuid().ToString("N")[..8];
        var created = await (await user.Client.PostAsJsonAsync("/api/v1/tokens", new { name, expiresInDays = 7 })).OkAsync<Classcloud.Web.Accounts.CreatedTokenDto>(HttpStatusCode.Created);
        var create = await EntryAsync(admin, AuditActions.TokenCreate, name, user.Id, user.Email);
        Assert.Equal($"prefix {created.Token[..10]}", create.Detail);
        Assert.DoesNotContain(created.Token, create.Detail!, StringComparison.Ordinal);
        await user.Client.DeleteAsync($"/api/v1/tokens/{created.Id}");
        await EntryAsync(admin, AuditActions.TokenRevoke, name, user.Id, user.Email);

        var settings = await (await admin.Client.GetAsync("/api/v1/admin/settings")).OkAsync<SettingsDto>();
        await (await admin.Client.PutAsJsonAsync("/api/v1/admin/settings", settings with { MaxWorkspacesPerUser = settings.MaxWorkspacesPerUser + 1 }))
            .StatusAsync(HttpStatusCode.OK);
        var change = (await QueryAsync(admin, $"action={AuditActions.SettingsChange}")).Items[0];
        Assert.Equal((admin.Id, admin.Email, "settings"), (change.ActorId, change.ActorEmail, change.Target));
        Assert.Contains($"workspaces {settings.MaxWorkspacesPerUser}→{settings.MaxWorkspacesPerUser + 1}", change.Detail, StringComparison.Ordinal);
        await admin.Client.PutAsJsonAsync("/api/v1/admin/settings", settings);
    }

    [Fact]
    public async Task Audit_api_filters_by_action_prefix_and_text_and_pages()
    {
        var admin = await host.AdminAsync();
        var email = TestAccounts.NewEmail("audited");
        var remote = System.Net.IPAddress.Parse("203.0.113.77");
        var client = host.NewClient(remote);
        for (var i = 0; i < 3; i++)
        {
            await client.LoginAsync(email, $"wrong-password-{i}");
        }

        var byText = await QueryAsync(admin, $"q={email}");
        Assert.Equal(3, byText.TotalCount);
        Assert.All(byText.Items, e => Assert.Equal((AuditActions.SignInFailure, "203.0.113.77"), (e.Action, e.IpAddress)));
        Assert.Equal(3, (await QueryAsync(admin, "q=203.0.113.77")).TotalCount);
        Assert.Equal(3, (await QueryAsync(admin, $"q={email.ToUpperInvariant()}")).TotalCount);  // case does not matter
        Assert.Equal(3, (await QueryAsync(admin, $"action=signin.*&q={email}")).TotalCount);
        Assert.Equal(0, (await QueryAsync(admin, $"action=signin.success&q={email}")).TotalCount);
        Assert.Equal(0, (await QueryAsync(admin, $"action=signin&q={email}")).TotalCount);

        var first = await QueryAsync(admin, $"q={email}&pageSize=2&page=1");
        var second = await QueryAsync(admin, $"q={email}&pageSize=2&page=2");
        Assert.Equal((2, 3, 2), (first.Items.Count, first.TotalCount, first.TotalPages));
        var single = Assert.Single(second.Items);
        Assert.True(first.Items[0].Id > first.Items[1].Id && first.Items[1].Id > single.Id, "newest first");

        var from = Uri.EscapeDataString(DateTime.UtcNow.AddMinutes(5).ToString("O"));
        Assert.Equal(0, (await QueryAsync(admin, $"q={email}&from={from}")).TotalCount);
        Assert.Equal(100, (await QueryAsync(admin, "pageSize=5000")).PageSize);
    }
}

public sealed class SqliteAuditTests(SqliteHost host) : AuditTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresAuditTests(PostgresHost host) : AuditTests(host), IClassFixture<PostgresHost>;
