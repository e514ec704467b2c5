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

    delegate Task<Outcome<string>> Handler(IServiceProvider services, WorkspaceCliCaller who, HttpContext context, CancellationToken ct);

    /// <summary>The one table of routes: <see cref="Map"/> maps exactly these, and the matrix test walks <see cref="All"/>.</summary>
    static readonly (string Method, string Path, Handler Handler)[] Table =
    [
        ("GET", "/help", (_, _, _, _) => Task.FromResult<Outcome<string>>(WorkspaceCliCommands.Help())),
        ("GET", "/guide", (_, _, _, _) => Task.FromResult<Outcome<string>>(WorkspaceCliCommands.Guide())),
        ("GET", "/assignments", (sp, who, _, ct) => Commands(sp).ListAsync(who, ct)),
        ("GET", "/tree", (sp, who, _, ct) => Commands(sp).TreeAsync(who, ct)),
        ("GET", "/status", (sp, who, _, ct) => Commands(sp).StatusAsync(who, ct)),
        ("GET", "/assignments/{n}/go", (sp, who, c, ct) => Commands(sp).GoAsync(who, N(c), ct)),
        ("GET", "/assignments/{n}/path", (sp, who, c, ct) => Commands(sp).PathAsync(who, N(c), ct)),
        ("GET", "/assignments/{n}/test-script", (sp, who, c, ct) => sp.GetRequiredService<WorkspaceCliTests>().ScriptAsync(who, N(c), ct)),
        ("POST", "/assignments/{n}/test-results", async (sp, who, c, ct) =>
            await sp.GetRequiredService<WorkspaceCliTests>().JudgeAsync(who, N(c), c.Request.HasFormContentType ? (await c.Request.ReadFormAsync(ct)).Files : new FormFileCollection(), ct)),
        ("POST", "/assignments/{n}/submissions", (sp, who, c, ct) => Commands(sp).SubmitAsync(who, N(c), ct)),
    ];

    /// <summary>Every route (method, full path), for the authorization matrix.</summary>
    public static IReadOnlyList<(string Method, string Path)> All => [.. Table.Select(r => (r.Method, Base + r.Path))];

    internal static void Map(WebApplication app, IServiceProvider services)
    {
        // The bench's baseline: the same socket and server, no token, no database.
        app.MapGet("/healthz", (HttpContext c) => c.Response.WriteAsync("ok\n", c.RequestAborted));
        foreach (var (method, path, handler) in Table)
        {
            app.MapMethods(Base + path, [method], (HttpContext c) => RunAsync(c, services, handler));
        }
    }

    static WorkspaceCliCommands Commands(IServiceProvider sp) => sp.GetRequiredService<WorkspaceCliCommands>();

    static string N(HttpContext c) => c.Request.RouteValues["n"] as string ?? "";

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
