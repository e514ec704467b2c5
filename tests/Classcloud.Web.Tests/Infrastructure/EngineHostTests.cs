using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Workspaces;

namespace Classcloud.Web.Tests.Infrastructure;

/// <summary>
/// The one setup of the tests that run a host on the real engine: a SQLite host wired to it
/// (<see cref="WorkspaceTestKit.ConfigureEngineHost"/>) under a scope of its own, so classes never see each other's
/// containers, and everything it made removed afterwards. A class says only what differs: its scope's prefix, its
/// settings, and a Dockerfile when its terminals need an image of their own.
/// </summary>
public abstract class EngineHostTests(EngineFixture engine, string scopePrefix) : IAsyncLifetime, IDisposable
{
    protected SqliteHost Host { get; } = new();

    /// <summary>The controller scope (the label value) of this class's containers.</summary>
    protected string Scope { get; } = $"{scopePrefix}-{Guid.NewGuid():N}"[..14];

    protected IContainerPlatform Engine => engine.Platform;

    /// <summary>What the host's terminals run: the shared test image, or the class's own (<see cref="OwnImageDockerfile"/>).</summary>
    protected virtual string TerminalImage => WorkspaceEngineTests.Image;

    /// <summary>
    /// Non-null: <see cref="TerminalImage"/> is built from this Dockerfile before the host starts and removed after
    /// (for a class that needs the container to behave in its own way).
    /// </summary>
    protected virtual string? OwnImageDockerfile => null;

    /// <summary>Settings on top of the engine host's (<see cref="WorkspaceTestKit.ConfigureEngineHost"/>).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        if (OwnImageDockerfile is { } dockerfile)
        {
            var dir = Directory.CreateTempSubdirectory("classcloud-engine-test-image-");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Dockerfile"), dockerfile);
            await ControllerHarness.DockerAsync("build", "-q", "-t", TerminalImage, dir.FullName);
            dir.Delete(recursive: true);
        }
        else
        {
            await WorkspaceEngineTests.EnsureImageAsync(Engine);
        }
        WorkspaceTestKit.ConfigureEngineHost(Host, Scope, TerminalImage, Settings);
        await Host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)Host).DisposeAsync();
        await WorkspaceTestKit.RemoveScopeAsync(Engine, Scope);
        if (OwnImageDockerfile is not null)
        {
            await Engine.RemoveImageAsync(TerminalImage, force: false, CancellationToken.None);
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Host.Dispose();
        }
    }
}
