using System.IO.Compression;
using System.Net;
using Classcloud.Web.Projects;
using Classcloud.Web.Projects.Deploy;
using Classcloud.Web.Projects.Git;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Tests.Projects;

/// <summary>
/// The clone a build makes, against a loopback Git host: the tree (without .git) becomes the source ZIP with the
/// commit named; a submodule on another host is skipped; a clone past the time limit or the size limit is killed
/// and the build told why.
/// </summary>
public sealed class GitClonerTests(SqliteHost host) : IClassFixture<SqliteHost>, IAsyncLifetime
{
    readonly FakeGitServer git = new();

    public Task InitializeAsync() => git.InitializeAsync();

    [Fact]
    public async Task The_tree_becomes_the_source_zip_and_a_submodule_of_another_host_is_skipped()
    {
        var repo = $"tree-{Guid.NewGuid():N}"[..12];
        var commit = await git.CreateAsync(repo, "main", new Dictionary<string, string>
        {
            ["index.html"] = "<h1>tree</h1>",
            ["docs/a.txt"] = "a",
            [".gitmodules"] = "[submodule \"lib/x\"]\n\tpath = lib/x\n\turl = https://elsewhere.example/x.git\n",
        });
        var (project, sources) = Project(repo);
        var log = new List<string>();
        try
        {
            Assert.Equal(commit, await Cloner(new ProjectsOptions()).FetchAsync(project, log.Add, CancellationToken.None));
            Assert.Contains(log, l => l.Contains("Submodule lib/x skipped", StringComparison.Ordinal));
            using var zip = ZipFile.OpenRead(sources.PathOf(project.Id));
            Assert.Equal([".gitmodules", "docs/a.txt", "index.html"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        }
        finally
        {
            sources.Delete(project.Id);
        }
    }

    [Fact]
    public async Task A_clone_past_the_time_limit_is_stopped()
    {
        var repo = $"slow-{Guid.NewGuid():N}"[..12];
        await git.CreateAsync(repo, "main", new Dictionary<string, string> { ["index.html"] = "x" });
        var (project, sources) = Project(repo);
        var error = await Assert.ThrowsAsync<GitSourceException>(() =>
            Cloner(new ProjectsOptions { GitTimeout = TimeSpan.FromMilliseconds(1) }).FetchAsync(project, _ => { }, CancellationToken.None));
        Assert.Contains("took longer than", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(sources.PathOf(project.Id)));
    }

    [Fact]
    public async Task A_repository_larger_than_the_limits_is_refused()
    {
        var repo = $"big-{Guid.NewGuid():N}"[..12];
        // Random text does not compress much: about 1.5 MB in the pack, 2 MB checked out.
        await git.CreateAsync(repo, "main", new Dictionary<string, string> { ["index.html"] = "x", ["big.txt"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(1_500_000)) });
        var (project, sources) = Project(repo);
        var error = await Assert.ThrowsAsync<GitSourceException>(() =>
            Cloner(new ProjectsOptions { MaxExpandedBytes = 256 * 1024, MaxSourceBytes = 256 * 1024 }).FetchAsync(project, _ => { }, CancellationToken.None));
        Assert.Matches("larger than the limit|more than", error.Message);
        Assert.False(File.Exists(sources.PathOf(project.Id)));
    }

    [Fact]
    public async Task Git_connects_to_the_address_that_was_resolved_once_and_not_to_a_second_answer()
    {
        var repo = $"pin-{Guid.NewGuid():N}"[..12];
        var commit = await git.CreateAsync(repo, "main", new Dictionary<string, string> { ["index.html"] = "pinned" });
        // A name no real resolver knows: the clone can only reach the Git host through the address given to git.
        const string name = "rebind.classcloud.invalid";
        var resolver = new RebindingResolver([IPAddress.Loopback], [IPAddress.Parse("10.255.255.1")]);
        var (project, sources) = Project(repo);
        project.GitUrl = $"http://{name}:{git.BaseAddress.Port}/{repo}.git";
        var options = new ProjectsOptions { GitInsecureHosts = [$"{name}:{git.BaseAddress.Port}"] };
        try
        {
            Assert.Equal(commit, await Cloner(options, resolver).FetchAsync(project, _ => { }, CancellationToken.None));
            Assert.Equal(1, resolver.Calls);
        }
        finally
        {
            sources.Delete(project.Id);
        }
    }

    [Fact]
    public async Task The_pin_is_the_first_answer_and_every_address_in_it_is_checked()
    {
        var uri = new Uri("https://git.rebind.example/a/b.git");
        // A hostile DNS server: a public address for the check, this machine for the connection.
        var rebinding = new RebindingResolver([IPAddress.Parse("192.0.2.10")], [IPAddress.Loopback]);
        var pinned = await new GitAddresses(rebinding).PinAsync(uri, [], CancellationToken.None);
        Assert.Equal("git.rebind.example:443:192.0.2.10", pinned);
        Assert.Equal(1, rebinding.Calls);

        var mixed = new RebindingResolver([IPAddress.Parse("192.0.2.10"), IPAddress.Parse("::ffff:127.0.0.1")], []);
        var refused = await Assert.ThrowsAsync<GitSourceException>(() => new GitAddresses(mixed).PinAsync(uri, [], CancellationToken.None));
        Assert.Contains("this machine or link-local", refused.Message, StringComparison.Ordinal);
        var metadata = new RebindingResolver([IPAddress.Parse("2001:db8::1"), IPAddress.Parse("169.254.169.254")], []);
        await Assert.ThrowsAsync<GitSourceException>(() => new GitAddresses(metadata).PinAsync(uri, [], CancellationToken.None));
        var six = await new GitAddresses(new RebindingResolver([IPAddress.Parse("2001:db8::1"), IPAddress.Parse("192.0.2.11")], [])).PinAsync(uri, [], CancellationToken.None);
        Assert.Equal("git.rebind.example:443:[2001:db8::1],192.0.2.11", six);
    }

    /// <summary>Answers <paramref name="first"/> the first time and <paramref name="later"/> after, as a DNS rebinding attack does.</summary>
    sealed class RebindingResolver(IPAddress[] first, IPAddress[] later) : IHostResolver
    {
        public int Calls { get; private set; }

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Task.FromResult(Calls++ == 0 ? first : later);
    }

    (Project Project, SourceArchive Sources) Project(string repo) =>
        (new Project { Id = Random.Shared.NextInt64(1_000_000_000, 2_000_000_000), Name = repo, GitUrl = git.Url(repo), GitBranch = "main" },
            host.Services.GetRequiredService<SourceArchive>());

    GitCloner Cloner(ProjectsOptions options, IHostResolver? resolver = null)
    {
        options.GitInsecureHosts = [.. options.GitInsecureHosts, git.BaseAddress.Authority];
        return new GitCloner(host.Services.GetRequiredService<SourceArchive>(), new GitAddresses(resolver ?? new DnsHostResolver()),
            host.Services.GetRequiredService<IDataProtectionProvider>(), Options.Create(options));
    }

    public Task DisposeAsync() => git.DisposeAsync();
}
