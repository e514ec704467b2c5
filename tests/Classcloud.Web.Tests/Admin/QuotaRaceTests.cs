using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Admin.Quotas;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Admin;

/// <summary>
/// Issue 16: simultaneous starts of one person pass the quota one after the other (<see cref="QuotaHolds"/>). Its
/// own host with a full capacity budget (another user's running workspace fills a budget of one), so an accepted
/// start waits in the queue and keeps counting against the quota instead of failing on the engine-less host and
/// freeing its share before the next check. Without the hold all six starts were accepted.
/// </summary>
public abstract class QuotaRaceTests(ClasscloudHost host) : IAsyncLifetime, IDisposable
{
    public async Task InitializeAsync()
    {
        host.Configure("Classcloud:Workspaces:Capacity:MaxRunning", "1");
        await host.InitializeAsync();
    }

    [Fact]
    public async Task Simultaneous_starts_of_one_owner_pass_the_quota_one_at_a_time()
    {
        var admin = await host.AdminAsync();
        var other = await host.UserAsync(TestRole.Student);
        await WorkspaceRows.AddAsync(host, other.Id, WorkspaceState.Running);
        var student = await host.UserAsync(TestRole.Student);
        await (await admin.Client.PutAsJsonAsync("/api/v1/admin/quotas", new QuotaSettingsDto(1, 0, false))).StatusAsync(HttpStatusCode.OK);
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await WorkspaceRows.AddAsync(host, student.Id, name: $"quota-race-{i}"));
        }

        // Room for one workspace of 1 core; six starts arrive at once (a double click, two tabs, a script).
        using var go = new SemaphoreSlim(0);
        var starts = ids.Select(async id =>
        {
            await go.WaitAsync();
            return (await student.Client.PostAsync($"/api/v1/workspaces/{id}/start", null)).StatusCode;
        }).ToList();
        go.Release(ids.Count);
        var answers = await Task.WhenAll(starts);

        Assert.Equal(1, answers.Count(a => a == HttpStatusCode.Accepted));
        Assert.Equal(5, answers.Count(a => a == HttpStatusCode.Conflict));
        var states = await host.WithDbAsync(db => db.Workspaces.Where(w => ids.Contains(w.Id)).Select(w => w.State).ToListAsync());
        Assert.Equal(5, states.Count(s => s == WorkspaceState.Stopped));
        Assert.Equal(1, states.Count(s => s == WorkspaceState.Starting)); // waiting for capacity, counted against the quota
    }

    public void Dispose()
    {
        host.Dispose();
        GC.SuppressFinalize(this);
    }

    public Task DisposeAsync() => ((IAsyncLifetime)host).DisposeAsync();
}

public sealed class SqliteQuotaRaceTests() : QuotaRaceTests(new SqliteHost());

public sealed class PostgresQuotaRaceTests() : QuotaRaceTests(new PostgresHost());
