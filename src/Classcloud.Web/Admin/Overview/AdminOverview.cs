using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Admin;

/// <summary>A start waiting for capacity, in queue order.</summary>
public sealed record QueuedStartDto(int Position, long WorkspaceId, string Name, long OwnerId, string OwnerEmail, DateTime QueuedAt);

/// <summary>What <c>/admin</c> and <c>GET /api/v1/admin/overview</c> show first (issue 17).</summary>
public sealed record AdminOverviewDto(
    int EducatorsAwaitingApproval, int Users, int Courses, int RunningWorkspaces, int Workspaces, CapacityView Capacity,
    IReadOnlyList<QueuedStartDto> Queue, int OpenAlerts, string QueueHold = "next");

/// <summary>
/// The administrator's landing page: who waits for them (educators to approve), what runs, how much of the
/// capacity budget is taken and who waits for it, in queue order (the same order admission uses).
/// </summary>
public sealed class AdminOverview(ClasscloudDb db, WorkspaceAdmission admission)
{
    public const int QueueShown = 20;

    public async Task<AdminOverviewDto> LoadAsync(CancellationToken ct)
    {
        var waiting = await db.Workspaces.AsNoTracking().Where(w => w.State == WorkspaceState.Starting && w.QueuedAt != null)
            .Join(db.Users, w => w.OwnerId, u => u.Id, (w, u) => new { w.Id, w.Name, w.OwnerId, u.Email, w.QueuedAt })
            .OrderBy(x => x.QueuedAt).ThenBy(x => x.Id).Take(QueueShown)
            .ToListAsync(ct);
        return new AdminOverviewDto(
            await db.Users.CountAsync(u => u.Role == AccountRole.Educator && u.Status == AccountStatus.Pending, ct),
            await db.Users.CountAsync(ct),
            await db.Courses.CountAsync(ct),
            await db.Workspaces.CountAsync(w => w.State == WorkspaceState.Running || w.State == WorkspaceState.Suspended, ct),
            await db.Workspaces.CountAsync(ct),
            await admission.CapacityAsync(ct),
            [.. waiting.Select((w, i) => new QueuedStartDto(i + 1, w.Id, w.Name, w.OwnerId, w.Email ?? "", w.QueuedAt!.Value))],
            await db.Alerts.CountAsync(a => a.ResolvedAt == null && a.AcknowledgedAt == null, ct),
            // What holds the queue (issue 17: "administrators see what holds it"); every start waits behind the head.
            waiting.Count == 0 ? "next" : QueueWords.Of(await admission.HoldAsync(ct)));
    }
}

public static class AdminOverviewEndpoints
{
    public static void MapAdminOverviewApi(this WebApplication app) =>
        app.MapGet("/api/v1/admin/overview", OverviewAsync).RequireAuthorization(Policies.Admin).WithTags("Admin");

    static async Task<Ok<AdminOverviewDto>> OverviewAsync(AdminOverview overview, CancellationToken ct) =>
        TypedResults.Ok(await overview.LoadAsync(ct));
}
