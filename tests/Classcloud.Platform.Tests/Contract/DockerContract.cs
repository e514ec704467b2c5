using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests.Contract;

/// <summary>The platform contract on the real Docker Engine.</summary>
[Collection(EngineCollection.Name)]
public sealed class DockerContract(EngineFixture engine) : PlatformContract
{
    protected override IContainerPlatform Platform => engine.Platform;

    protected override string Image => EngineFixture.BaseImage;
}
