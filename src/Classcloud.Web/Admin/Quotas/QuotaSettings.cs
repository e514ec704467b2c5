using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Admin.Quotas;

/// <summary>The per-user CPU and memory quota as the API reads and writes it (0: no limit).</summary>
public sealed record QuotaSettingsDto(double? CpusPerUser, long? MemoryBytesPerUser, bool? ExemptAdmins, long? HomeBytesPerWorkspace = null)
{
    public static QuotaSettingsDto From(PlatformSettings s) => new(s.UserCpuQuota, s.UserMemoryQuotaBytes, s.QuotaExemptAdmins, s.WorkspaceHomeBytes);
}

/// <summary>
/// Changes the quota columns of the settings row apart from the other settings, so a client that saves
/// sign-up domains with the older settings body never resets the quota (and the reverse).
/// </summary>
public sealed class QuotaSettings(ClasscloudDb db, AuditLog audit, TimeProvider time)
{
    /// <summary>Large enough for any one school's machine or cluster, small enough to catch a unit mistake (bytes as MiB).</summary>
    public const double MaxCpus = 10_000;
    public const long MaxMemoryBytes = 1L << 50;

    /// <summary>Null when the request can be saved; the settings page asks before it saves the other settings.</summary>
    public Problem? Validate(QuotaSettingsDto request) =>
        request.CpusPerUser is not { } cpus || request.MemoryBytesPerUser is not { } memory
            || double.IsNaN(cpus) || cpus is < 0 or > MaxCpus || memory is < 0 or > MaxMemoryBytes
            ? Problem.BadRequest("The CPU quota must be 0–{0} cores and the memory quota 0–{1} bytes (0: no limit).", MaxCpus, MaxMemoryBytes)
            : request.HomeBytesPerWorkspace is < 0 or > MaxMemoryBytes
            ? Problem.BadRequest("The home disk limit must be 0–{0} bytes (0: no limit).", MaxMemoryBytes)
            : null;

    public async Task<Outcome<PlatformSettings>> UpdateAsync(QuotaSettingsDto request, CancellationToken ct)
    {
        if (Validate(request) is { } problem)
        {
            return problem;
        }
        var (cpus, memory) = (request.CpusPerUser!.Value, request.MemoryBytesPerUser!.Value);
        var row = await db.Settings.SingleOrDefaultAsync(s => s.Id == PlatformSettings.SingletonId, ct);
        if (row is null)
        {
            row = new PlatformSettings();
            db.Settings.Add(row);
        }
        var before = QuotaSettingsDto.From(row);
        row.UserCpuQuota = Math.Round(cpus, 2);
        row.UserMemoryQuotaBytes = memory;
        row.QuotaExemptAdmins = request.ExemptAdmins ?? row.QuotaExemptAdmins;
        row.WorkspaceHomeBytes = request.HomeBytesPerWorkspace ?? row.WorkspaceHomeBytes; // absent: unchanged
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Record(AuditActions.SettingsChange, target: "settings",
            detail: $"cpu quota {before.CpusPerUser}→{row.UserCpuQuota}; memory quota {before.MemoryBytesPerUser}→{row.UserMemoryQuotaBytes}; " +
                $"admins exempt {before.ExemptAdmins}→{row.QuotaExemptAdmins}; home {before.HomeBytesPerWorkspace}→{row.WorkspaceHomeBytes}");
        await db.SaveChangesAsync(ct);
        return row;
    }
}
