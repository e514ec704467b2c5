using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Orchestration;

/// <summary>The controller lease on each provider: one holder at a time, takeover only after expiry.</summary>
public abstract class LeaseTests(ClasscloudHost host)
{
    [Fact]
    public async Task Only_one_holder_until_the_lease_expires_then_another_takes_over()
    {
        var name = $"test-{Guid.NewGuid():N}";
        var clock = new FakeTimeProvider();
        var duration = TimeSpan.FromSeconds(30);
        await using var scopeA = host.Services.CreateAsyncScope();
        await using var scopeB = host.Services.CreateAsyncScope();
        var a = new LeaseStore(scopeA.ServiceProvider.GetRequiredService<ClasscloudDb>(), clock);
        var b = new LeaseStore(scopeB.ServiceProvider.GetRequiredService<ClasscloudDb>(), clock);

        Assert.True(await a.TryAcquireAsync(name, "host-a", duration, CancellationToken.None));
        Assert.False(await b.TryAcquireAsync(name, "host-b", duration, CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await a.TryAcquireAsync(name, "host-a", duration, CancellationToken.None)); // renewed to +30 s
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await b.TryAcquireAsync(name, "host-b", duration, CancellationToken.None)); // renewal still holds
        Assert.Equal("host-a", await a.HolderAsync(name, CancellationToken.None));

        clock.Advance(TimeSpan.FromSeconds(11));                                                  // host-a stopped renewing
        Assert.Null(await b.HolderAsync(name, CancellationToken.None));
        Assert.True(await b.TryAcquireAsync(name, "host-b", duration, CancellationToken.None));
        Assert.False(await a.TryAcquireAsync(name, "host-a", duration, CancellationToken.None));

        await using var check = host.Services.CreateAsyncScope();
        var row = await check.ServiceProvider.GetRequiredService<ClasscloudDb>().Leases.AsNoTracking().SingleAsync(l => l.Name == name);
        Assert.Equal("host-b", row.HolderId);
        Assert.Equal(clock.GetUtcNow().UtcDateTime + duration, row.ExpiresAt, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_released_lease_is_free_at_once()
    {
        var name = $"test-{Guid.NewGuid():N}";
        await using var scope = host.Services.CreateAsyncScope();
        var leases = new LeaseStore(scope.ServiceProvider.GetRequiredService<ClasscloudDb>(), TimeProvider.System);
        Assert.True(await leases.TryAcquireAsync(name, "host-a", TimeSpan.FromMinutes(5), CancellationToken.None));
        await leases.ReleaseAsync(name, "host-b", CancellationToken.None);   // not the holder: no effect
        Assert.False(await leases.TryAcquireAsync(name, "host-b", TimeSpan.FromMinutes(5), CancellationToken.None));
        await leases.ReleaseAsync(name, "host-a", CancellationToken.None);
        Assert.True(await leases.TryAcquireAsync(name, "host-b", TimeSpan.FromMinutes(5), CancellationToken.None));
    }
}

public sealed class SqliteLeaseTests(SqliteHost host) : LeaseTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresLeaseTests(PostgresHost host) : LeaseTests(host), IClassFixture<PostgresHost>;
