using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Classcloud.Web.Tests.Hosting;

/// <summary>`--roles` decides what a process does: only the web role serves pages and the API, only the controller role runs background work.</summary>
public sealed class HostRolesTests
{
    [Fact]
    public Task A_controller_only_process_serves_health_but_no_pages_or_api() => WithHostAsync("controller", async host =>
    {
        var client = host.NewClient();
        var health = await client.GetFromJsonAsync<JsonElement>("/healthz");
        Assert.Equal("controller", health.GetProperty("roles").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/signin")).StatusCode);
        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s.GetType().Name == "MailSender");
    });

    [Fact]
    public Task A_web_only_process_serves_the_api_and_sends_no_mail() => WithHostAsync("web", async host =>
    {
        var client = host.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/signin")).StatusCode);
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s.GetType().Name == "MailSender");
    });

    static async Task WithHostAsync(string roles, Func<ClasscloudHost, Task> test)
    {
        var host = new SqliteHost();
        host.Configure("roles", roles);
        try
        {
            await test(host);
        }
        finally
        {
            await ((IAsyncLifetime)host).DisposeAsync();
        }
    }
}
