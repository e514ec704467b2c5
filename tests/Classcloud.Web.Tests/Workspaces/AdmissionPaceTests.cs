using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>The waiting person's estimate: no guess from fewer than two recent admissions, then position × the recent pace.</summary>
public sealed class AdmissionPaceTests
{
    [Fact]
    public void The_estimate_follows_the_pace_of_recent_admissions_and_forgets_old_ones()
    {
        var clock = new FakeTimeProvider();
        var pace = new AdmissionPace(clock);
        Assert.Null(pace.Estimate(1));
        pace.Admitted();
        Assert.Null(pace.Estimate(1));
        clock.Advance(TimeSpan.FromMinutes(2));
        pace.Admitted();
        clock.Advance(TimeSpan.FromMinutes(2));
        // Two admissions over the last four minutes: one every two minutes; the third in line waits about six.
        Assert.Equal(TimeSpan.FromMinutes(6), pace.Estimate(3));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(pace.Estimate(1)); // nothing admitted within the hour: no guess rather than a stale one
    }
}
