using System.Security.Claims;
using Classcloud.Platform;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces.ClassView;

/// <summary>One student of the course and their course workspaces (none yet: an empty card says so).</summary>
public sealed record ClassViewStudentDto(long UserId, string Name, IReadOnlyList<ClassViewWorkspaceDto> Workspaces);

/// <summary>
/// A card of the teacher's grid: the workspace as the course list shows it, plus <see cref="Screen"/> — the last
/// lines of a running terminal's shared tmux screen (null: not a running terminal, or nobody opened it yet).
/// </summary>
public sealed record ClassViewWorkspaceDto(CourseWorkspaceDto Workspace, string? Screen);

/// <summary>The whole grid; <see cref="RefreshSeconds"/> is how often the page asks again.</summary>
public sealed record ClassViewDto(long CourseId, int RefreshSeconds, IReadOnlyList<ClassViewStudentDto> Students);

/// <summary>
/// The teacher's class view (issue 17): every enrolled student with their course workspaces, live. A running
/// terminal's card shows the current screen as text, read with <c>tmux capture-pane</c> from the one shared
/// session the gateway's terminals attach to — the same screen a watcher would see, without joining it (so the
/// student's "who is watching" list stays honest). Desktops show their state card; watching opens them.
/// Course educators and administrators only, like the rest of student management.
/// </summary>
public sealed class ClassViewService(ClasscloudDb db, CourseGate courses, CourseWorkspaces workspaces, WorkspaceNames names, IServiceProvider services,
    ILogger<ClassViewService> log)
{
    public const int RefreshSeconds = 3;

    /// <summary>Lines of a terminal screen a card shows (the bottom of the screen, where the prompt is).</summary>
    public const int ScreenLines = 12;

    const int ScreenColumns = 100;
    static readonly TimeSpan CaptureTimeout = TimeSpan.FromSeconds(3);

    public async Task<Outcome<ClassViewDto>> GetAsync(long courseId, Caller caller, CancellationToken ct)
    {
        var opened = await courses.OpenAsEducatorAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var listed = await workspaces.ListAsync(courseId, caller, ct);
        if (!listed.Succeeded)
        {
            return listed.Problem!;
        }
        var students = await db.Enrolments.Where(e => e.CourseId == courseId && e.Status == EnrolmentStatus.Accepted)
            .Join(db.Users, e => e.UserId, u => u.Id, (e, u) => new { u.Id, u.Name }).ToListAsync(ct);
        var cards = listed.Value!.Where(w => !w.OwnerTeaches).ToList();
        var screens = await ScreensAsync(cards, ct);
        var byOwner = cards.ToLookup(w => w.OwnerId);
        var list = students
            .Select(s => new ClassViewStudentDto(s.Id, s.Name, [.. byOwner[s.Id].Select(w => new ClassViewWorkspaceDto(w, screens.GetValueOrDefault(w.Id)))]))
            .OrderBy(s => s.Name, StringComparer.CurrentCulture).ThenBy(s => s.UserId).ToList();
        return new ClassViewDto(courseId, RefreshSeconds, list);
    }

    /// <summary>The screens of the running terminals, read in parallel (a class is tens of cards, each one exec).</summary>
    async Task<Dictionary<long, string?>> ScreensAsync(IReadOnlyList<CourseWorkspaceDto> cards, CancellationToken ct)
    {
        var platform = services.GetService<IContainerPlatform>();
        var ids = cards.Where(w => w.State == "running" && w.Kind == "terminal").Select(w => w.Id).ToList();
        if (platform is null || !platform.Features.Enabled || ids.Count == 0)
        {
            return [];
        }
        var stored = await db.Workspaces.Where(w => ids.Contains(w.Id)).Select(w => new { w.Id, w.WorkloadId }).ToListAsync(ct);
        using var limit = new SemaphoreSlim(4);
        var reads = stored.Select(async w =>
        {
            await limit.WaitAsync(ct);
            try
            {
                return (w.Id, Screen: await CaptureAsync(platform, names.Workload(w.Id, w.WorkloadId), ct));
            }
            finally
            {
                limit.Release();
            }
        });
        return (await Task.WhenAll(reads)).ToDictionary(x => x.Id, x => x.Screen);
    }

    async Task<string?> CaptureAsync(IContainerPlatform platform, WorkloadId workload, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CaptureTimeout);
        try
        {
            var result = await platform.RunAsync(workload, new ExecRequest
            {
                Command = ["tmux", "-u", "capture-pane", "-p", "-t", "main"],
                Environment = new Dictionary<string, string> { ["LANG"] = "C.UTF-8" },
                MaxOutputBytes = 64 * 1024,
            }, timeout.Token);
            // No tmux server yet (nobody has opened the terminal): the card says so instead of showing an error.
            return result.ExitCode == 0 ? LastLines(result.Stdout) : null;
        }
        catch (Exception ex) when (ex is PlatformException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            log.LogDebug(ex, "Could not read the screen of {Workload}", workload);
            return null;
        }
    }

    /// <summary>The bottom <see cref="ScreenLines"/> lines with text, each cut to a card's width.</summary>
    public static string LastLines(string screen)
    {
        var lines = screen.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        return string.Join('\n', lines.TakeLast(ScreenLines).Select(l => l.Length > ScreenColumns ? l[..ScreenColumns] : l));
    }
}

/// <summary>GET /api/v1/courses/{courseId}/class-view: the course's educators and administrators (others 403).</summary>
public static class ClassViewEndpoints
{
    public static void MapClassViewApi(this WebApplication app) =>
        app.MapGet("/api/v1/courses/{courseId:long}/class-view", GetAsync).RequireAuthorization().WithTags("Workspaces");

    static async Task<Results<Ok<ClassViewDto>, ProblemHttpResult>> GetAsync(long courseId, ClaimsPrincipal user, ClassViewService classView, CancellationToken ct)
    {
        var outcome = await classView.GetAsync(courseId, Caller.From(user), ct);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();
    }
}
