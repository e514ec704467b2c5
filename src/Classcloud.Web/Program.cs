using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Assignments;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Gateway;
using Classcloud.Web.Groups;
using Classcloud.Web.Home;
using Classcloud.Web.Hosting;
using Classcloud.Web.Lti;
using Classcloud.Web.Mail;
using Classcloud.Web.Monitoring;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Platform;
using Classcloud.Web.Privacy;
using Classcloud.Web.Projects;
using Classcloud.Web.Rollover;
using Classcloud.Web.Workloads;
using Classcloud.Web.Workspaces;

// A few commands run instead of the server (e.g. `schema sqlite` prints the model's create script).
if (HostCommands.TryRun(args, out var exitCode))
{
    return exitCode;
}

// A published build (./run.sh) finds appsettings.json and wwwroot beside itself, wherever it is started from;
// a plain build (tests, `dotnet run`) keeps the project folder as its content root.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = Directory.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot")) ? AppContext.BaseDirectory : null,
});
builder.AddClasscloudDefaults();          // options, roles, problem details, localization, rate limits, OpenAPI
builder.AddData();
builder.AddMail();
builder.AddAccounts();
builder.AddAdmin();
builder.AddCourses();
builder.AddGroups();
builder.AddPlatform();                   // container platform, when Classcloud:Platform:Enabled
builder.AddOrchestration();              // the controller role: leases, the workload conductor, the reconciler
builder.AddWorkspaces();                 // terminals and desktops: API, pages, background worker, gateway targets
builder.AddAssignments();                // assignments: folders in course workspaces, collection, autograding
builder.AddWorkloadConsole();            // administrators' container console
builder.AddGateway();                    // presence, terminal and desktop bridges
builder.AddProjects();                   // deployed apps: API, builds, apps gateway, scale to zero
builder.AddMonitoring();                 // usage sampler and alerts (controller + platform), /metrics, host panel
builder.AddHome();                       // the signed-in home: my workspaces, courses, what is due, unread news
builder.AddPrivacy();                    // personal data export, account erasure, audit log export
builder.AddRollover();                   // semester rollover: archive, reopen and copy courses
builder.AddLti();                        // Classcloud as an LTI 1.3 tool: platform registration, login and launch

var app = builder.Build();
if (!app.ValidateConfiguration())
{
    return 2;
}

await app.PrepareDataAsync(CancellationToken.None);  // migrations, first administrator
app.UseProxyHeaders();                   // X-Forwarded-* from known proxies only
app.UseAppsGateway();                    // <name>.<apps domain> goes to the app, before anything of the platform
app.UseRequestMetrics();
app.UseClasscloudDefaults();
app.MapHealth();
app.MapMonitoring();                     // /metrics everywhere; the host and alerts API with the web role
if (app.Roles().Web)                     // pages and API; a gateway- or controller-only process serves health only
{
    app.MapAccounts();
    app.MapAdmin();
    app.MapCourses();
    app.MapGroups();
    app.MapWorkspaces();
    app.MapAssignments();
    app.MapMail();
    app.MapWorkloadConsole();
    app.MapProjects();
    app.MapPrivacy();
    app.MapRollover();
    app.MapLti();
    app.MapClasscloudPages();
}
app.MapGateway();                        // terminal and desktop WebSockets, with the gateway role

await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
