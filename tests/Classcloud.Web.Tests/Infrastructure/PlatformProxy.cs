using System.Reflection;
using System.Runtime.ExceptionServices;
using Classcloud.Platform;

namespace Classcloud.Web.Tests.Infrastructure;

/// <summary>
/// The real platform with one or two calls answered differently: <see cref="Intercept"/> says which; every other
/// call goes to the wrapped platform, its exceptions unwrapped as the caller would see them.
/// </summary>
public abstract class PlatformProxy : DispatchProxy
{
    protected IContainerPlatform Inner { get; private set; } = null!;

    /// <summary>This proxy as the platform the host is given.</summary>
    public IContainerPlatform Platform => (IContainerPlatform)(object)this;

    protected static T Wrap<T>(IContainerPlatform inner) where T : PlatformProxy
    {
        var self = (T)(object)Create<IContainerPlatform, T>();
        self.Inner = inner;
        return self;
    }

    /// <summary>True (with its answer) for a call this proxy answers itself.</summary>
    protected abstract bool Intercept(MethodInfo method, object?[] args, out object? answer);

    protected sealed override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (Intercept(targetMethod, args ?? [], out var answer))
        {
            return answer;
        }
        try
        {
            return targetMethod.Invoke(Inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
