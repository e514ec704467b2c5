using System.Net;
using Classcloud.Web.Accounts;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Monitoring;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Pages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Monitoring;

/// <summary>Alert incidents on the database alone (no engine): raise once, resolve, raise again, mail once, acknowledge.</summary>
public abstract class AlertTests(ClasscloudHost host)
{
    async Task SyncAsync(AlertCondition condition)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var alerts = scope.ServiceProvider.GetRequiredService<AlertService>();
        await alerts.SyncAsync(condition, CancellationToken.None);
        await alerts.MailNewAsync(CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<ClasscloudDb>().SaveChangesAsync();
    }

    Task<List<Alert>> AlertsAsync(string subject) =>
        host.WithDbAsync(db => db.Alerts.AsNoTracking().Where(a => a.Subject == subject).OrderBy(a => a.Id).ToListAsync());

    async Task<int> MailsAboutAsync(string subject) =>
        (await host.MailsToAsync(InitialAdministrator.Email)).Count(m => m.Body.Contains(subject, StringComparison.Ordinal));

    [Fact]
    public async Task An_incident_is_raised_once_resolved_raised_again_and_mailed_once_each_time()
    {
        var subject = $"/srv/disk-{Guid.NewGuid():N}";
        var full = new AlertCondition(AlertKinds.HostDisk, subject, true, $"The disk holding {subject} is 95 % full.");

        await SyncAsync(full);
        await SyncAsync(full);
        await SyncAsync(full);
        var first = Assert.Single(await AlertsAsync(subject));
        Assert.Null(first.ResolvedAt);
        Assert.NotNull(first.MailedAt);
        Assert.Equal(1, await MailsAboutAsync(subject));
        var mail = (await host.MailsToAsync(InitialAdministrator.Email)).Single(m => m.Body.Contains(subject, StringComparison.Ordinal));
        Assert.Equal("Classcloud alert: Host disk", mail.Subject);
        Assert.Contains("/admin/alerts", mail.Body, StringComparison.Ordinal);

        await SyncAsync(full with { Active = false });
        await SyncAsync(full with { Active = false });
        var resolved = Assert.Single(await AlertsAsync(subject));
        Assert.NotNull(resolved.ResolvedAt);

        await SyncAsync(full);
        var both = await AlertsAsync(subject);
        Assert.Equal(2, both.Count);
        Assert.NotNull(both[0].ResolvedAt);
        Assert.Null(both[1].ResolvedAt);
        Assert.Equal(2, await MailsAboutAsync(subject));
    }

    [Fact]
    public async Task Acknowledging_marks_the_alert_once_and_the_list_filters_by_status()
    {
        var subject = $"ack-{Guid.NewGuid():N}";
        await SyncAsync(new AlertCondition(AlertKinds.EngineUnreachable, subject, true, "The container engine cannot be reached: test " + subject));
        var alert = Assert.Single(await AlertsAsync(subject));
        var admin = await host.AdminAsync();

        var unacknowledged = await (await admin.Client.GetAsync("/api/v1/admin/alerts?status=unacknowledged&pageSize=100")).OkAsync<Paged<AlertDto>>();
        Assert.Contains(unacknowledged.Items, a => a.Id == alert.Id);

        var acked = await (await admin.Client.PostAsync($"/api/v1/admin/alerts/{alert.Id}/acknowledge", null)).OkAsync<AlertDto>();
        Assert.NotNull(acked.AcknowledgedAt);
        Assert.Equal(admin.Id, acked.AcknowledgedById);
        var again = await (await admin.Client.PostAsync($"/api/v1/admin/alerts/{alert.Id}/acknowledge", null)).OkAsync<AlertDto>();
        Assert.Equal(acked.AcknowledgedAt!.Value, again.AcknowledgedAt!.Value, TimeSpan.FromMilliseconds(1)); // PostgreSQL keeps microseconds
        var stored = Assert.Single(await AlertsAsync(subject));
        Assert.Equal(admin.Id, stored.AcknowledgedById);
        Assert.True(await host.WithDbAsync(db => db.Audit.AnyAsync(e => e.Action == "alert.acknowledge" && e.Target == $"alert:{alert.Id}")));

        var acknowledged = await (await admin.Client.GetAsync("/api/v1/admin/alerts?status=acknowledged&pageSize=100")).OkAsync<Paged<AlertDto>>();
        Assert.Contains(acknowledged.Items, a => a.Id == alert.Id);
        var open = await (await admin.Client.GetAsync("/api/v1/admin/alerts?status=unacknowledged&pageSize=100")).OkAsync<Paged<AlertDto>>();
        Assert.DoesNotContain(open.Items, a => a.Id == alert.Id);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.PostAsync("/api/v1/admin/alerts/987654321/acknowledge", null)).StatusCode);
        var bad = await admin.Client.GetAsync("/api/v1/admin/alerts?status=whatever");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("open, resolved, acknowledged, unacknowledged", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_alerts_page_acknowledges_and_the_navigation_counts_unacknowledged_alerts()
    {
        var subject = $"page-{Guid.NewGuid():N}";
        await SyncAsync(new AlertCondition(AlertKinds.RegistryUnreachable, subject, true, "The image registry cannot be reached: " + subject));
        var alert = Assert.Single(await AlertsAsync(subject));
        var admin = await host.AdminAsync();

        var html = await admin.Client.GetStringAsync("/admin/alerts?status=unacknowledged");
        Assert.Contains($"data-testid=\"alert-row-{alert.Id}\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"alert-badge\"", html, StringComparison.Ordinal);
        var post = await admin.Client.SubmitAsync("/admin/alerts", $"/admin/alerts?handler=Acknowledge&id={alert.Id}", ("returnUrl", "/admin/alerts"));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.NotNull(Assert.Single(await AlertsAsync(subject)).AcknowledgedAt);

        var student = await host.UserAsync(TestRole.Student);
        Assert.DoesNotContain("alert-badge", await student.Client.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crash_loop_alert_resolves_once_the_reconciler_forgave_the_workload()
    {
        var id = $"cl-{Guid.NewGuid():N}"[..20];
        var now = DateTime.UtcNow;
        await host.WithDbAsync(async db =>
        {
            db.Workloads.Add(new Workload { Id = id, Kind = "test", CrashLoop = true, CreatedAt = now, UpdatedAt = now });
            db.Alerts.Add(new Alert { Kind = AlertKinds.CrashLoop, WorkloadId = id, Message = "looping", CreatedAt = now });
            return await db.SaveChangesAsync();
        });

        async Task ResolveAsync()
        {
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AlertService>().ResolveCrashLoopsAsync(CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<ClasscloudDb>().SaveChangesAsync();
        }

        await ResolveAsync();
        var open = Assert.Single(await AlertsAsync(id));
        Assert.Null(open.ResolvedAt);
        await host.WithDbAsync(db => db.Workloads.Where(w => w.Id == id).ExecuteUpdateAsync(u => u.SetProperty(w => w.CrashLoop, false)));
        await ResolveAsync();
        Assert.NotNull(Assert.Single(await AlertsAsync(id)).ResolvedAt);
    }
}

public sealed class SqliteAlertTests(SqliteHost host) : AlertTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresAlertTests(PostgresHost host) : AlertTests(host), IClassFixture<PostgresHost>;
