using System.Globalization;
using Classcloud.Web.Hosting;

namespace Classcloud.Web.Assignments.WorkspaceCli;

/// <summary>
/// The routes of the workspace command, on <see cref="WorkspaceCliServer"/>'s socket only. Each one needs the
/// workspace's token (<see cref="WorkspaceCliAuthentication"/>) and answers in plain text for the command to print;
/// a refusal is plain text too, with the status code (401 without a valid token, 403/404 from the course's rules).
/// </summary>
public static class WorkspaceCliRoutes
{
    public const string Base = "/api/v1/workspace-cli";

    /// <summary>Every route, for the authorization matrix (method, path).</summary>
    public static readonly IReadOnlyList<(string Method, string Path)> All =
    [
        ("GET", $"{Base}/help"), ("GET", $"{Base}/guide"), ("GET", $"{Base}/assignments"), ("GET", $"{Base}/tree"), ("GET", $"{Base}/status"),
        ("GET", $"{Base}/assignments/{{n}}/go"), ("GET", $"{Base}/assignments/{{n}}/path"), ("GET", $"{Base}/assignments/{{n}}/test-script"),
        ("POST", $"{Base}/assignments/{{n}}/test-results"), ("POST", $"{Base}/assignments/{{n}}/submissions"),
    ];

    internal static void Map(WebApplication app, IServiceProvider services)
    {
        // The bench's baseline: the same socket and server, no token, no database.
        app.MapGet("/healthz", (HttpContext c) => c.Response.WriteAsync("ok\n", c.RequestAborted));
        Get(app, services, "/help", (_, _, _, _) => Task.FromResult<Outcome<string>>(WorkspaceCliCommands.Help()));
        Get(app, services, "/guide", (_, _, _, _) => Task.FromResult<Outcome<string>>(WorkspaceCliCommands.Guide()));
        Get(app, services, "/assignments", (sp, who, _, ct) => Commands(sp).ListAsync(who, ct));
        Get(app, services, "/tree", (sp, who, _, ct) => Commands(sp).TreeAsync(who, ct));
        Get(app, services, "/status", (sp, who, _, ct) => Commands(sp).StatusAsync(who, ct));
        Get(app, services, "/assignments/{n}/go", (sp, who, c, ct) => Commands(sp).GoAsync(who, N(c), ct));
        Get(app, services, "/assignments/{n}/path", (sp, who, c, ct) => Commands(sp).PathAsync(who, N(c), ct));
        Get(app, services, "/assignments/{n}/test-script", (sp, who, c, ct) => sp.GetRequiredService<WorkspaceCliTests>().ScriptAsync(who, N(c), ct));
        Post(app, services, "/assignments/{n}/test-results", async (sp, who, c, ct) =>
            await sp.GetRequiredService<WorkspaceCliTests>().JudgeAsync(who, N(c), c.Request.HasFormContentType ? (await c.Request.ReadFormAsync(ct)).Files : EmptyFiles, ct));
        Post(app, services, "/assignments/{n}/submissions", (sp, who, c, ct) => Commands(sp).SubmitAsync(who, N(c), ct));
    }

    delegate Task<Outcome<string>> Handler(IServiceProvider services, WorkspaceCliCaller who, HttpContext context, CancellationToken ct);

    static readonly FormFileCollection EmptyFiles = [];

    static WorkspaceCliCommands Commands(IServiceProvider sp) => sp.GetRequiredService<WorkspaceCliCommands>();

    static string N(HttpContext c) => c.Request.RouteValues["n"] as string ?? "";

    static void Get(WebApplication app, IServiceProvider services, string path, Handler handler) =>
        app.MapGet(Base + path, (HttpContext c) => RunAsync(c, services, handler));

    static void Post(WebApplication app, IServiceProvider services, string path, Handler handler) =>
        app.MapPost(Base + path, (HttpContext c) => RunAsync(c, services, handler));

    static async Task RunAsync(HttpContext context, IServiceProvider services, Handler handler)
    {
        var ct = context.RequestAborted;
        await using var scope = services.CreateAsyncScope();
        var who = await scope.ServiceProvider.GetRequiredService<WorkspaceCliAuthentication>().AuthenticateAsync(context.Request.Headers.Authorization, ct);
        if (who.Succeeded)
        {
            // Every sentence the command prints is worded in the reader's language.
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(who.Value!.Culture);
        }
        var outcome = who.Succeeded ? await handler(scope.ServiceProvider, who.Value!, context, ct) : who.Problem!;
        context.Response.StatusCode = outcome.Succeeded ? StatusCodes.Status200OK : outcome.Problem!.Status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(outcome.Succeeded ? outcome.Value! : outcome.Problem!.Detail + "\n", ct);
    }
}
