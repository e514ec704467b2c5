using System.Reflection;
using System.Runtime.CompilerServices;
using Classcloud.Platform;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Workloads;

/// <summary>
/// The real platform, except that its event watch never reports anything: the engine is shared with
/// other test runs whose events would otherwise wake the reconciler, hiding whether the console did.
/// </summary>
public class QuietWatchPlatform : PlatformProxy
{
    public static IContainerPlatform Wrap(IContainerPlatform inner) => Wrap<QuietWatchPlatform>(inner).Platform;

    protected override bool Intercept(MethodInfo method, object?[] args, out object? answer)
    {
        answer = method.Name == nameof(IContainerPlatform.WatchAsync) ? NeverAsync((CancellationToken)args[0]!) : null;
        return answer is not null;
    }

    static async IAsyncEnumerable<PlatformEvent> NeverAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct);
        yield break;
    }
}
