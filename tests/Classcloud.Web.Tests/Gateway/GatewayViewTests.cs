using System.Globalization;
using System.Net;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Gateway;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Gateway;

/// <summary>The terminal and desktop partials render for the Connect page, and the vendored libraries are served.</summary>
public sealed class GatewayViewTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    async Task<string> RenderAsync(string view, GatewayView model, string culture)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var action = new ActionContext(http, new RouteData(), new ActionDescriptor());
        var engine = scope.ServiceProvider.GetRequiredService<IRazorViewEngine>();
        var found = engine.GetView(null, $"/Gateway/{view}.cshtml", isMainPage: false);
        Assert.True(found.Success, $"{view} not found");
        using var writer = new StringWriter();
        var data = new ViewDataDictionary<GatewayView>(new EmptyModelMetadataProvider(), new ModelStateDictionary()) { Model = model };
        var context = new ViewContext(action, found.View, data, new TempDataDictionary(http, new NullTempDataProvider()), writer, new HtmlHelperOptions());
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            await found.View.RenderAsync(context);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
        return writer.ToString();
    }

    [Fact]
    public async Task Terminal_partial_points_at_the_websocket_and_marks_viewers()
    {
        var owner = await RenderAsync("_TerminalView", new GatewayView(42, CanControl: true, "my-ws"), "en");
        Assert.Contains("data-url=\"/api/v1/workspaces/42/terminal\"", owner, StringComparison.Ordinal);
        Assert.Contains("data-can-control=\"true\"", owner, StringComparison.Ordinal);
        Assert.DoesNotContain("Watching (view only)", owner, StringComparison.Ordinal);
        Assert.Contains("/js/terminal.js", owner, StringComparison.Ordinal);

        var viewer = await RenderAsync("_TerminalView", new GatewayView(42, CanControl: false), "ko");
        Assert.Contains("data-can-control=\"false\"", viewer, StringComparison.Ordinal);
        Assert.Contains("보기 전용", viewer, StringComparison.Ordinal);
        Assert.Contains("연결이 끊겼습니다. {0}초 뒤에 다시 연결합니다…", viewer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Desktop_partial_loads_novnc_and_has_no_clipboard_for_viewers()
    {
        var owner = await RenderAsync("_DesktopView", new GatewayView(7, CanControl: true), "en");
        Assert.Contains("data-url=\"/api/v1/workspaces/7/vnc\"", owner, StringComparison.Ordinal);
        Assert.Contains("data-clipboard-send", owner, StringComparison.Ordinal);
        Assert.Contains("type=\"module\"", owner, StringComparison.Ordinal);

        var viewer = await RenderAsync("_DesktopView", new GatewayView(7, CanControl: false), "ko");
        Assert.DoesNotContain("data-clipboard-send", viewer, StringComparison.Ordinal);
        Assert.Contains("키보드와 마우스 입력은 워크스페이스에 전달되지 않습니다.", viewer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/lib/xterm/xterm.js")]
    [InlineData("/lib/xterm/xterm.css")]
    [InlineData("/lib/xterm/addon-fit.js")]
    [InlineData("/lib/novnc/core/rfb.js")]
    [InlineData("/js/terminal.js")]
    [InlineData("/js/desktop.js")]
    [InlineData("/css/gateway.css")]
    public async Task Client_files_are_served(string path)
    {
        var response = await host.NewClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    sealed class NullTempDataProvider : ITempDataProvider
    {
        public IDictionary<string, object> LoadTempData(HttpContext context) => new Dictionary<string, object>();

        public void SaveTempData(HttpContext context, IDictionary<string, object> values)
        {
        }
    }
}
