using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Orchestration;

/// <summary>
/// The claim that makes one caller the owner of a workload while it converges it (issue 11), on each provider.
/// Two scopes are two database contexts, as two processes would be: the claim lives only in the row.
/// </summary>
public abstract class WorkloadClaimTests(ClasscloudHost host)
{
    [Fact]
    public async Task One_holder_at_a_time_across_contexts_until_it_gives_the_claim_back_or_the_claim_expires()
    {
        var id = $"claim-{Guid.NewGuid():N}"[..20];
        var clock = new FakeTimeProvider();
        await using (var setup = host.Services.CreateAsyncScope())
        {
            var db = setup.ServiceProvider.GetRequiredService<ClasscloudDb>();
            db.Workloads.Add(new Workload { Id = id, Kind = "test", SpecJson = "{}", CreatedAt = clock.GetUtcNow().UtcDateTime, UpdatedAt = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
        }
        await using var scopeA = host.Services.CreateAsyncScope();
        await using var scopeB = host.Services.CreateAsyncScope();
        var a = new WorkloadClaims(scopeA.ServiceProvider.GetRequiredService<ClasscloudDb>(), clock);
        var b = new WorkloadClaims(scopeB.ServiceProvider.GetRequiredService<ClasscloudDb>(), clock);

        var first = await a.TryAsync(id, CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await b.TryAsync(id, CancellationToken.None));
        await first.DisposeAsync();
        var second = await b.TryAsync(id, CancellationToken.None);
        Assert.NotNull(second);
        Assert.Equal(id, second.Row.Id);

        // The holder's process died: its claim is taken over only once it has expired.
        clock.Advance(WorkloadClaims.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Null(await a.TryAsync(id, CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(2));
        await using var third = await a.TryAsync(id, CancellationToken.None);
        Assert.NotNull(third);
        await second.DisposeAsync(); // the late holder's release does not free the new holder's claim
        Assert.Null(await b.TryAsync(id, CancellationToken.None));

        Assert.Null(await b.TryAsync("claim-no-such-row", CancellationToken.None));
    }
}

public sealed class SqliteWorkloadClaimTests(SqliteHost host) : WorkloadClaimTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresWorkloadClaimTests(PostgresHost host) : WorkloadClaimTests(host), IClassFixture<PostgresHost>;
