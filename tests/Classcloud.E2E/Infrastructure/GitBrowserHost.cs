using Classcloud.Web.Tests.Projects;

namespace Classcloud.E2E.Infrastructure;

/// <summary>The browser host with a loopback Git host (git http-backend) it may clone from over plain http.</summary>
public sealed class GitBrowserHost : BrowserHost
{
    bool gitDisposed;

    public FakeGitServer Git { get; } = new();

    public override async Task InitializeAsync()
    {
        await Git.InitializeAsync();
        Configure("Classcloud:Projects:GitInsecureHosts:0", Git.BaseAddress.Authority);
        await base.InitializeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        // The factory may dispose twice (its DisposeAsync, then Dispose); the Git host's folder goes once.
        if (disposing && !gitDisposed)
        {
            gitDisposed = true;
            // The factory disposes synchronously at the end of its own DisposeAsync; the Git host goes with it.
            Git.DisposeAsync().GetAwaiter().GetResult();
        }
    }
}
