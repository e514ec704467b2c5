using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Projects;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Projects;

/// <summary>
/// What the project API refuses before anything reaches the engine: bad and reserved names, taken names, and
/// ZIPs that try to leave their folder, hold links or absolute paths, or unpack to far more than they weigh;
/// and what it keeps secret (environment values). Runs without the container platform.
/// </summary>
public sealed class ProjectSourceTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Theory]
    [InlineData("ab", "3–40")]
    [InlineData("Bad_Name", "lower-case")]
    [InlineData("admin", "reserved")]
    [InlineData("www", "reserved")]
    [InlineData("a--b", "--")]
    public async Task Bad_names_are_refused(string name, string why)
    {
        var user = await host.UserAsync(TestRole.Student);
        var problem = await (await user.Client.PostAsJsonAsync("/api/v1/projects", new { name, access = "public" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(why, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_is_taken_once_and_the_project_names_its_url()
    {
        var user = await host.UserAsync(TestRole.Student);
        var other = await host.UserAsync(TestRole.Student);
        var name = ProjectZips.Name("taken");
        var created = await (await user.Client.PostAsJsonAsync("/api/v1/projects", new { name, access = "public" })).OkAsync<ProjectDto>(HttpStatusCode.Created);
        Assert.Equal($"http://{name}.apps.localhost/", created.Url);
        Assert.Equal("public", created.Access);
        var problem = await (await other.Client.PostAsJsonAsync("/api/v1/projects", new { name, access = "private" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(name, problem.Detail, StringComparison.Ordinal);
        await (await other.Client.GetAsync($"/api/v1/projects/{created.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        var mine = await (await user.Client.GetAsync("/api/v1/projects")).OkAsync<List<ProjectDto>>();
        Assert.Contains(mine, p => p.Id == created.Id);
        Assert.DoesNotContain(await (await other.Client.GetAsync("/api/v1/projects")).OkAsync<List<ProjectDto>>(), p => p.Id == created.Id);
        var bad = await (await user.Client.PostAsJsonAsync("/api/v1/projects", new { name = ProjectZips.Name("grp"), access = "group" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("group", bad.Detail, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[], string> BadZips => new()
    {
        { "zip-slip", ProjectZips.Make(("index.html", "hi"), ("../../evil.sh", "rm -rf /")), "'..' is refused" },
        { "absolute", ProjectZips.Make(("/etc/cron.d/evil", "* * * * * root sh")), "absolute path" },
        { "symlink", ProjectZips.Make([("index.html", "hi"u8.ToArray(), 0), ("link", "/etc/shadow"u8.ToArray(), 0xA1FF)]), "symbolic link" },
        // 60 MB of zeros packs into a few tens of KB: far beyond 100 to 1.
        { "zip bomb", ProjectZips.Make([("index.html", "hi"u8.ToArray(), 0), ("zeros.bin", new byte[60 * 1024 * 1024], 0)]), "zip bomb" },
        { "not a zip", "this is not a zip"u8.ToArray(), "not a ZIP" },
    };

    [Theory]
    [MemberData(nameof(BadZips))]
    public async Task Dangerous_zips_are_refused_with_the_reason(string kind, byte[] zip, string reason)
    {
        var user = await host.UserAsync(TestRole.Student);
        var project = await (await user.Client.PostAsJsonAsync("/api/v1/projects", new { name = ProjectZips.Name("zip"), access = "public" })).OkAsync<ProjectDto>(HttpStatusCode.Created);
        var problem = await (await user.Client.PostAsync($"/api/v1/projects/{project.Id}/source", ProjectZips.Form(zip))).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.Detail!.Contains(reason, StringComparison.Ordinal), $"{kind}: {problem.Detail}");
        Assert.False((await (await user.Client.GetAsync($"/api/v1/projects/{project.Id}")).OkAsync<ProjectDto>()).HasSource);
        await (await user.Client.PostAsync($"/api/v1/projects/{project.Id}/deploy", null)).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_good_zip_is_kept_and_its_template_explained()
    {
        var user = await host.UserAsync(TestRole.Student);
        var project = await (await user.Client.PostAsJsonAsync("/api/v1/projects", new { name = ProjectZips.Name("good"), access = "public" })).OkAsync<ProjectDto>(HttpStatusCode.Created);
        var zip = ProjectZips.Make(("site/index.html", "<h1>hi</h1>"), ("site/css/a.css", "h1{}"));
        var source = await (await user.Client.PostAsync($"/api/v1/projects/{project.Id}/source", ProjectZips.Form(zip))).OkAsync<SourceDto>();
        Assert.Equal(("static", 2L), (source.Template, source.Files));
        Assert.Contains("index.html", source.Explanation, StringComparison.Ordinal);
        Assert.True((await (await user.Client.GetAsync($"/api/v1/projects/{project.Id}")).OkAsync<ProjectDto>()).HasSource);
    }

    [Fact]
    public async Task Environment_values_are_stored_encrypted_and_never_shown()
    {
        var user = await host.UserAsync(TestRole.Student);
        var project = await (await user.Client.PostAsJsonAsync("/api/v1/projects", new { name = ProjectZips.Name("env"), access = "public" })).OkAsync<ProjectDto>(HttpStatusCode.Created);
        var updated = await (await user.Client.PutAsJsonAsync($"/api/v1/projects/{project.Id}/env",
            new { variables = new Dictionary<string, string> { ["DB_PASSWORD"] = "very-secret-value-42", ["MODE"] = "demo" } })).OkAsync<ProjectDto>();
        Assert.Equal(new[] { "DB_PASSWORD", "MODE" }, updated.EnvironmentNames);
        var body = await (await user.Client.GetAsync($"/api/v1/projects/{project.Id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("very-secret-value-42", body, StringComparison.Ordinal);
        var stored = await host.WithDbAsync(db => db.Projects.Where(p => p.Id == project.Id).Select(p => p.EnvironmentJson).SingleAsync());
        Assert.Contains("DB_PASSWORD", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-value-42", stored, StringComparison.Ordinal);
        await (await user.Client.PutAsJsonAsync($"/api/v1/projects/{project.Id}/env",
            new { variables = new Dictionary<string, string> { ["PORT"] = "1" } })).ProblemAsync(HttpStatusCode.BadRequest);
        var removed = await (await user.Client.PutAsJsonAsync($"/api/v1/projects/{project.Id}/env",
            new { variables = new Dictionary<string, string?> { ["MODE"] = null } })).OkAsync<ProjectDto>();
        Assert.Equal(new[] { "DB_PASSWORD" }, removed.EnvironmentNames);
    }

    [Fact]
    public async Task Scaling_is_checked()
    {
        var user = await host.UserAsync(TestRole.Student);
        var project = await (await user.Client.PostAsJsonAsync("/api/v1/projects", new { name = ProjectZips.Name("scale"), access = "public" })).OkAsync<ProjectDto>(HttpStatusCode.Created);
        await (await user.Client.PutAsJsonAsync($"/api/v1/projects/{project.Id}/scaling", new { minInstances = 3, maxInstances = 2 })).ProblemAsync(HttpStatusCode.BadRequest);
        var scaled = await (await user.Client.PutAsJsonAsync($"/api/v1/projects/{project.Id}/scaling",
            new { minInstances = 1, maxInstances = 3, targetConcurrency = 20, idleMinutes = 2 })).OkAsync<ProjectDto>();
        Assert.Equal(new ScalingDto(1, 3, 20, 2), scaled.Scaling);
    }
}
