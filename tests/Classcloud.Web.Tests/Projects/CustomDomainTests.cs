using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Projects;
using Classcloud.Web.Projects.Domains;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Projects;

/// <summary>
/// Custom domains (issue 14): a domain is added with a token, routed by the apps gateway and certified (Caddy's
/// on-demand TLS asks) only once a TXT record at <c>_classcloud.&lt;domain&gt;</c> holds that token, and neither
/// after it is removed. The TXT records come from a fake resolver: no DNS traffic.
/// </summary>
public sealed class CustomDomainTests(SqliteHost root) : IClassFixture<SqliteHost>
{
    readonly FakeTxt txt = new();
    ClasscloudHost? derived;

    ClasscloudHost Host => derived ??= root.Derive(s => s.AddSingleton<ITxtResolver>(txt));

    [Fact]
    public async Task A_domain_routes_and_is_certified_only_once_its_TXT_record_holds_the_token()
    {
        var (user, project) = await ProjectAsync();
        var domain = $"www.{Guid.NewGuid():N}"[..16] + ".example.org";
        var added = await (await user.Client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/domains", new { domain = domain.ToUpperInvariant() + "." }))
            .OkAsync<DomainDto>(HttpStatusCode.Created);
        Assert.Equal((domain, false, "_classcloud." + domain), (added.Domain, added.Verified, added.RecordName));
        Assert.Matches("^[0-9a-f]{32}$", added.RecordValue);

        // Not verified: Caddy is told no, and the gateway does not take the host (the platform answers it).
        Assert.Equal(HttpStatusCode.NotFound, await AskAsync(domain));
        Assert.DoesNotContain("has not been deployed", await VisitAsync(domain), StringComparison.Ordinal);

        // A record of another value (someone else's token) does not verify it.
        txt.Records["_classcloud." + domain] = ["not-the-token", "v=spf1 -all"];
        var early = await (await user.Client.PostAsync($"/api/v1/projects/{project.Id}/domains/{domain}/verify", null)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("_classcloud." + domain, early.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await AskAsync(domain));

        txt.Records["_classcloud." + domain] = ["v=spf1 -all", added.RecordValue];
        var verified = await (await user.Client.PostAsync($"/api/v1/projects/{project.Id}/domains/{domain}/verify", null)).OkAsync<DomainDto>();
        Assert.True(verified.Verified);
        Assert.Contains("_classcloud." + domain, txt.Asked);
        Assert.Equal(HttpStatusCode.OK, await AskAsync(domain));
        // The gateway now takes it: this project has no revision yet, and the gateway says so.
        Assert.Contains("has not been deployed", await VisitAsync(domain), StringComparison.Ordinal);
        var listed = await (await user.Client.GetAsync($"/api/v1/projects/{project.Id}/domains")).OkAsync<List<DomainDto>>();
        Assert.Equal(new[] { domain }, listed.Select(d => d.Domain));

        await (await user.Client.DeleteAsync($"/api/v1/projects/{project.Id}/domains/{domain}")).StatusAsync(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, await AskAsync(domain));
        Assert.DoesNotContain("has not been deployed", await VisitAsync(domain), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a domain", "valid DNS name")]
    [InlineData("127.0.0.1", "valid DNS name")]
    [InlineData("example", "valid DNS name")]
    [InlineData("-bad.example.org", "valid DNS name")]
    [InlineData("shop.localhost", "not a local one")]
    [InlineData("mine.apps.localhost", "not a local one")]
    [InlineData("printer.local", "not a local one")]
    public async Task Names_that_are_not_public_DNS_names_are_refused_beside_the_field(string domain, string why)
    {
        var (user, project) = await ProjectAsync();
        var problem = await (await user.Client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/domains", new { domain })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(why, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_domain_is_claimed_once_and_another_project_cannot_verify_or_remove_it()
    {
        var (user, project) = await ProjectAsync();
        var (other, theirs) = await ProjectAsync();
        var domain = $"{Guid.NewGuid():N}"[..10] + ".example.net";
        await (await user.Client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/domains", new { domain })).StatusAsync(HttpStatusCode.Created);
        var taken = await (await other.Client.PostAsJsonAsync($"/api/v1/projects/{theirs.Id}/domains", new { domain })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("already claimed", taken.Detail, StringComparison.Ordinal);
        await (await other.Client.PostAsync($"/api/v1/projects/{theirs.Id}/domains/{domain}/verify", null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.DeleteAsync($"/api/v1/projects/{project.Id}/domains/{domain}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(txt.Asked);
    }

    async Task<HttpStatusCode> AskAsync(string domain)
    {
        using var caddy = Host.NewClient(IPAddress.Loopback, cookies: false);
        using var response = await caddy.GetAsync($"{DomainEndpoints.AskPath}?domain={Uri.EscapeDataString(domain)}");
        return response.StatusCode;
    }

    async Task<string> VisitAsync(string domain)
    {
        using var visitor = Host.NewClient(ClasscloudHost.ClientAddress, cookies: false);
        using var response = await visitor.GetAsync($"http://{domain}/");
        return await response.Content.ReadAsStringAsync();
    }

    async Task<(TestUser User, ProjectDto Project)> ProjectAsync()
    {
        var user = await Host.UserAsync(TestRole.Student);
        var project = await (await user.Client.PostAsJsonAsync("/api/v1/projects", new { name = ProjectZips.Name("dom"), access = "public" })).OkAsync<ProjectDto>(HttpStatusCode.Created);
        return (user, project);
    }

    /// <summary>TXT records by name, as a test sets them; every name asked is noted.</summary>
    sealed class FakeTxt : ITxtResolver
    {
        public Dictionary<string, string[]> Records { get; } = new(StringComparer.Ordinal);

        public List<string> Asked { get; } = [];

        public Task<IReadOnlyList<string>> TxtAsync(string name, CancellationToken ct)
        {
            lock (Asked)
            {
                Asked.Add(name);
            }
            return Task.FromResult<IReadOnlyList<string>>(Records.TryGetValue(name, out var r) ? r : []);
        }
    }
}
