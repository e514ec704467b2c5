using System.Globalization;
using System.Net;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Projects.Domains;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Classcloud.Web.Projects.Serve;

/// <summary>Which app a request asks for: by its name (the apps domain) or by its project (a custom domain).</summary>
public sealed record AppTarget(string? Name, long? ProjectId);

/// <summary>
/// The apps gateway: a request whose Host is <c>&lt;name&gt;.&lt;apps domain&gt;</c> never enters the platform's
/// pipeline (no sign-in, no antiforgery); it is checked against the project's access, held while a project at
/// zero starts, and forwarded by YARP to the instance on its tenant network without the platform's cookies.
/// </summary>
public sealed class AppGateway(
    ProjectNames names, DomainIndex domains, AppActivator activator, AppSessions sessions, IHttpForwarder forwarder, IOptions<ProjectsOptions> options,
    IOptions<ClasscloudOptions> platform, TimeProvider time, ILogger<AppGateway> log)
{
    /// <summary>LastRequestAt is written at most this often per project (the idle scaler needs minutes, not milliseconds).</summary>
    static readonly TimeSpan ActivityWrite = TimeSpan.FromSeconds(5);

    readonly HttpMessageInvoker client = AppTransformer.CreateClient();
    readonly System.Collections.Concurrent.ConcurrentDictionary<long, DateTime> written = new();

    /// <summary>The app a request is for: <c>&lt;name&gt;.&lt;apps domain&gt;</c>, or a verified custom domain; null: the platform's own request.</summary>
    public async ValueTask<AppTarget?> TargetAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        return names.NameFromHost(host) is { } name ? new AppTarget(name, null)
            : await domains.ProjectOfAsync(host, context.RequestAborted) is { } id ? new AppTarget(null, id) : null;
    }

    public async Task HandleAsync(HttpContext context, AppTarget target)
    {
        var ct = context.RequestAborted;
        UseVisitorLanguage(context);
        var t = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var db = context.RequestServices.GetRequiredService<ClasscloudDb>();
        var project = target.ProjectId is { } projectId
            ? await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == projectId, ct)
            : await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Name == target.Name, ct);
        if (project is null || project.CurrentRevisionId is null)
        {
            await PageAsync(context, HttpStatusCode.NotFound, project is null ? t["There is no app at this address."] : t["This app has not been deployed yet."], null);
            return;
        }
        if (context.Request.Path.Equals(AppSessions.SessionPath, StringComparison.Ordinal))
        {
            await SessionAsync(context, project);
            return;
        }
        if (project.Access != ProjectAccess.Public)
        {
            var user = sessions.FromSession(context.Request.Cookies[AppSessions.CookieName], project.Id);
            var rules = context.RequestServices.GetRequiredService<ProjectRules>();
            if (user is null || !await rules.MayOpenAsync(project, user, false, ct))
            {
                await RefuseAsync(context, project, user is null, t);
                return;
            }
        }
        activator.Enter(project.Id);
        string? address = null;
        try
        {
            try
            {
                address = await activator.AddressAsync(project.Id, ct);
            }
            catch (Classcloud.Platform.PlatformException ex)
            {
                // This middleware runs before the platform's error pages: the visitor gets a sentence, not a bare 500.
                log.LogWarning(ex, "Project {Project} could not be started", project.Id);
                await PageAsync(context, HttpStatusCode.BadGateway, t["The app could not be started: {0}", ex.Message], null);
                return;
            }
            if (address is null)
            {
                context.Response.Headers.RetryAfter = "2";
                await PageAsync(context, HttpStatusCode.ServiceUnavailable, t["The app is starting…"], refresh: 2);
                return;
            }
            var error = await forwarder.SendAsync(context, $"http://{address}:{options.Value.AppPort.ToString(CultureInfo.InvariantCulture)}/",
                client, ForwarderRequestConfig.Empty, AppTransformer.Instance);
            if (error != ForwarderError.None)
            {
                activator.Forget(project.Id);
                log.LogInformation("Forwarding to project {Project} failed: {Error}", project.Id, error);
            }
        }
        finally
        {
            activator.Leave(project.Id, address);
            await NoteActivityAsync(db, project.Id);
        }
    }

    /// <summary>Anonymous browsers go to the platform to sign in and come back with a ticket; other clients get 401/403.</summary>
    async Task RefuseAsync(HttpContext context, Project project, bool anonymous, IStringLocalizer<SharedResource> t)
    {
        if (anonymous && WantsHtml(context.Request) && platform.Value.PublicUrl is { Length: > 0 } publicUrl)
        {
            var back = context.Request.Path + context.Request.QueryString;
            context.Response.Redirect($"{publicUrl.TrimEnd('/')}/apps/{project.Name}/open?return={Uri.EscapeDataString(back)}");
            return;
        }
        await PageAsync(context, anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden,
            anonymous ? t["This app is not public: open it from Classcloud after signing in."] : t["You may not open this app."], null);
    }

    /// <summary>Swaps the platform's ticket for this app's own cookie and goes back to where the visitor was going.</summary>
    async Task SessionAsync(HttpContext context, Project project)
    {
        var user = sessions.FromTicket(context.Request.Query["ticket"], project.Id);
        if (user is null)
        {
            var t = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            await PageAsync(context, HttpStatusCode.Unauthorized, t["The sign-in link has expired; open the app again."], null);
            return;
        }
        context.Response.Cookies.Append(AppSessions.CookieName, sessions.Session(project.Id, user.Value), new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = AppSessions.SessionLifetime,
        });
        var back = context.Request.Query["return"].ToString();
        context.Response.Redirect(back.StartsWith('/') && !back.StartsWith("//", StringComparison.Ordinal) && !back.StartsWith("/\\", StringComparison.Ordinal) ? back : "/");
    }

    async Task NoteActivityAsync(ClasscloudDb db, long projectId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (written.TryGetValue(projectId, out var last) && now - last < ActivityWrite)
        {
            return;
        }
        written[projectId] = now;
        await db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.LastRequestAt, now), CancellationToken.None);
    }

    static bool WantsHtml(HttpRequest request) => request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    /// <summary>A small page for browsers (a sentence for other clients); with <paramref name="refresh"/> it reloads itself.</summary>
    static async Task PageAsync(HttpContext context, HttpStatusCode status, string message, int? refresh)
    {
        context.Response.StatusCode = (int)status;
        context.Response.Headers.CacheControl = "no-store";
        if (!WantsHtml(context.Request))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(message + "\n", context.RequestAborted);
            return;
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        var text = WebUtility.HtmlEncode(message);
        var meta = refresh is { } seconds ? $"<meta http-equiv=\"refresh\" content=\"{seconds.ToString(CultureInfo.InvariantCulture)}\">" : "";
        await context.Response.WriteAsync($$"""
            <!doctype html><html lang="{{CultureInfo.CurrentUICulture.TwoLetterISOLanguageName}}"><head><meta charset="utf-8">{{meta}}
            <meta name="viewport" content="width=device-width,initial-scale=1"><title>{{text}}</title>
            <style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:90vh;color:#333}</style></head>
            <body><p>{{text}}</p></body></html>
            """, context.RequestAborted);
    }

    /// <summary>The platform's culture middleware does not run here: the visitor's Accept-Language picks Korean or English.</summary>
    static void UseVisitorLanguage(HttpContext context)
    {
        var korean = context.Request.Headers.AcceptLanguage.ToString().StartsWith("ko", StringComparison.OrdinalIgnoreCase);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(korean ? "ko" : "en");
    }
}
