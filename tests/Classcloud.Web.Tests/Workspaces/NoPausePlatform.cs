using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Classcloud.Platform;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// The real Docker driver as a platform that cannot pause would look (Kubernetes): features
/// <see cref="PlatformFeatures.SchedulingOnly"/>, and pause/unpause refused as the Kubernetes driver
/// refuses them (each attempt recorded in <see cref="Refused"/>). Everything else goes to the engine.
/// </summary>
public sealed class NoPausePlatform
{
    NoPausePlatform(IContainerPlatform inner)
    {
        Proxy = DispatchProxy.Create<IContainerPlatform, Forwarder>();
        var forwarder = (Forwarder)(object)Proxy;
        forwarder.Inner = inner;
        forwarder.Owner = this;
    }

    public IContainerPlatform Proxy { get; }

    public ConcurrentQueue<string> Refused { get; } = new();

    public static NoPausePlatform Over(IContainerPlatform inner) => new(inner);

    /// <summary>DispatchProxy needs a public, non-sealed type with a parameterless constructor.</summary>
    public class Forwarder : DispatchProxy
    {
        internal IContainerPlatform Inner { get; set; } = null!;

        internal NoPausePlatform Owner { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            switch (targetMethod.Name)
            {
                case "get_" + nameof(IContainerPlatform.Features):
                    return PlatformFeatures.SchedulingOnly;
                case nameof(IContainerPlatform.PauseAsync) or nameof(IContainerPlatform.UnpauseAsync):
                    Owner.Refused.Enqueue(targetMethod.Name);
                    return Task.FromException(new PlatformNotSupportedException("This platform cannot freeze a workload (test decorator)."));
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
}
