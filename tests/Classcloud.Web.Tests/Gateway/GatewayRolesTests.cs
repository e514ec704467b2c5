using System.Net;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Gateway;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Gateway;

/// <summary>The WebSockets are served by processes with the gateway role only; presence is there in every process.</summary>
public sealed class GatewayRolesTests
{
    [Theory]
    [InlineData("gateway", HttpStatusCode.Unauthorized)]
    [InlineData("web,gateway,controller", HttpStatusCode.Unauthorized)]
    [InlineData("web", HttpStatusCode.NotFound)]
    public async Task Terminal_and_desktop_routes_follow_the_gateway_role(string roles, HttpStatusCode expected)
    {
        var host = new SqliteHost();
        host.Configure("roles", roles);
        try
        {
            var client = host.NewClient();
            Assert.Equal(expected, (await client.GetAsync("/api/v1/workspaces/1/terminal")).StatusCode);
            Assert.Equal(expected, (await client.GetAsync("/api/v1/workspaces/1/vnc")).StatusCode);
            Assert.NotNull(host.Services.GetService<IWorkspacePresence>());
        }
        finally
        {
            await ((IAsyncLifetime)host).DisposeAsync();
        }
    }
}
