using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Classcloud.Platform;

namespace Classcloud.Web.Tests.Workloads;

/// <summary>
/// The real platform, except that its event watch never reports anything: the engine is shared with
/// other test runs whose events would otherwise wake the reconciler, hiding whether the console did.
/// </summary>
public class QuietWatchPlatform : DispatchProxy
{
    IContainerPlatform inner = null!;

    public static IContainerPlatform Wrap(IContainerPlatform inner)
    {
        var proxy = Create<IContainerPlatform, QuietWatchPlatform>();
        ((QuietWatchPlatform)(object)proxy).inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IContainerPlatform.WatchAsync))
        {
            return NeverAsync((CancellationToken)args![0]!);
        }
        try
        {
            return targetMethod.Invoke(inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    static async IAsyncEnumerable<PlatformEvent> NeverAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct);
        yield break;
    }
}
