namespace Classcloud.Web.Tests.Infrastructure;

/// <summary>
/// A clock a test moves forward (Microsoft.Extensions.TimeProvider.Testing is not in the registry
/// copy). It starts at the real time, so rows written by hosts on the real clock still compare sensibly.
/// </summary>
public sealed class FakeTimeProvider : TimeProvider
{
    readonly Lock gate = new();
    DateTimeOffset now = TimeProvider.System.GetUtcNow();

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
        }
    }
}
