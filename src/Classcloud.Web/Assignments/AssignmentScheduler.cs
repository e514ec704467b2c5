using Classcloud.Web.Orchestration;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Assignments;

/// <summary>
/// The controller leader's assignment pass: writes folders of open assignments into course workspaces that lack
/// them (members who enrolled or made a workspace later included), collects at each due time and extension end
/// (a collection missed while Classcloud was down runs at its next pass: the marks are rows), and grades the
/// queued submissions, <see cref="AssignmentsOptions.GradingConcurrency"/> at a time, each claimed atomically
/// (<see cref="Grading.GradingQueue"/>).
/// </summary>
public sealed class AssignmentScheduler(IServiceScopeFactory scopes, IServiceProvider services, IOptions<AssignmentsOptions> options,
    ILogger<AssignmentScheduler> log) : BackgroundService
{
    readonly WakeSignal wake = new();

    /// <summary>Asks for a pass soon (grading was queued).</summary>
    public void Wake() => wake.Wake();

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (services.GetService<ControllerState>() is { IsLeader: true })
            {
                try
                {
                    await PassAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning(ex, "The assignment pass failed");
                }
            }
            if (!await wake.WaitAsync(options.Value.CheckInterval, stoppingToken))
            {
                return;
            }
        }
    }

    async Task PassAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var collector = scope.ServiceProvider.GetRequiredService<Collector>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        foreach (var a in await db.Assignments.Where(a => a.CollectedAt == null && a.OpensAt <= now).ToListAsync(ct))
        {
            await collector.DeliverAsync(a, ct);
            if (a.DueAt <= now)
            {
                await CollectDeadlineAsync(db, collector, a, now, ct);
            }
        }
        foreach (var e in await db.AssignmentExtensions.Where(e => e.CollectedAt == null && e.DueAt <= now).ToListAsync(ct))
        {
            var a = await db.Assignments.SingleAsync(x => x.Id == e.AssignmentId, ct);
            await collector.CollectAsync(a, e.UserId, SubmissionSources.Deadline, ct);
            e.CollectedAt = now;
            await db.SaveChangesAsync(ct);
        }
        await Task.WhenAll(Enumerable.Range(0, options.Value.GradingConcurrency).Select(_ => GradeUntilEmptyAsync(ct)));
    }

    /// <summary>One grading worker: claims and grades until the queue is empty, each submission in a scope (and DbContext) of its own.</summary>
    async Task GradeUntilEmptyAsync(CancellationToken ct)
    {
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            if (!await scope.ServiceProvider.GetRequiredService<Grader>().GradeNextAsync(ct))
            {
                return;
            }
        }
    }

    /// <summary>Every accepted student without a later extension; then the mark, so the pass is not repeated.</summary>
    static async Task CollectDeadlineAsync(ClasscloudDb db, Collector collector, Assignment a, DateTime now, CancellationToken ct)
    {
        var extended = await db.AssignmentExtensions.Where(e => e.AssignmentId == a.Id && e.DueAt > a.DueAt).Select(e => e.UserId).ToListAsync(ct);
        var students = await db.Enrolments.Where(e => e.CourseId == a.CourseId && e.Status == EnrolmentStatus.Accepted && !extended.Contains(e.UserId))
            .Select(e => e.UserId).ToListAsync(ct);
        foreach (var student in students)
        {
            await collector.CollectAsync(a, student, SubmissionSources.Deadline, ct);
        }
        a.CollectedAt = now;
        await db.SaveChangesAsync(ct);
    }
}
