using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Shared;

public sealed record SettingsDto(IReadOnlyList<string> AllowedEmailDomains, int MaxWorkspacesPerUser, int MaxCoursesPerEducator, int MaxCoursesPerStudent)
{
    public static SettingsDto From(PlatformSettings s) =>
        new(s.DomainPatterns, s.MaxWorkspacesPerUser, s.MaxCoursesPerEducator, s.MaxCoursesPerStudent);
}

/// <summary>Reads and changes the settings row; quotas are read by the features that enforce them.</summary>
public sealed class SettingsService(ClasscloudDb db, AuditLog audit, TimeProvider time)
{
    public const int MaxDomains = 50;

    public async Task<PlatformSettings> GetAsync(CancellationToken ct) =>
        await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == PlatformSettings.SingletonId, ct) ?? new PlatformSettings();

    public async Task<Outcome<PlatformSettings>> UpdateAsync(SettingsDto request, CancellationToken ct)
    {
        var domains = (request.AllowedEmailDomains ?? []).Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0).Distinct().ToList();
        if (domains.Count > MaxDomains)
        {
            return Problem.BadRequest("At most {0} e-mail domains can be listed.", MaxDomains);
        }
        var bad = domains.FirstOrDefault(d => !IsDomainPattern(d));
        if (bad is not null)
        {
            return Problem.BadRequest("'{0}' is not a domain pattern; use e.g. pusan.ac.kr or *.ac.kr.", bad.Length > 60 ? bad[..60] : bad);
        }
        if (!InRange(request.MaxWorkspacesPerUser) || !InRange(request.MaxCoursesPerEducator) || !InRange(request.MaxCoursesPerStudent))
        {
            return Problem.BadRequest("Quotas must be between 0 and {0}.", MaxQuota);
        }
        var row = await db.Settings.SingleOrDefaultAsync(s => s.Id == PlatformSettings.SingletonId, ct);
        if (row is null)
        {
            row = new PlatformSettings();
            db.Settings.Add(row);
        }
        var before = SettingsDto.From(row);
        row.AllowedEmailDomains = string.Join('\n', domains);
        row.MaxWorkspacesPerUser = request.MaxWorkspacesPerUser;
        row.MaxCoursesPerEducator = request.MaxCoursesPerEducator;
        row.MaxCoursesPerStudent = request.MaxCoursesPerStudent;
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Record(AuditActions.SettingsChange, target: "settings", detail: Describe(before, SettingsDto.From(row)));
        await db.SaveChangesAsync(ct);
        return row;
    }

    const int MaxQuota = 10_000;

    static bool InRange(int quota) => quota is >= 0 and <= MaxQuota;

    static bool IsDomainPattern(string d)
    {
        var host = d.StartsWith("*.", StringComparison.Ordinal) ? d[2..] : d;
        return host.Length is > 0 and <= 253 && host.Contains('.', StringComparison.Ordinal) &&
            Uri.CheckHostName(host) == UriHostNameType.Dns;
    }

    static string Describe(SettingsDto a, SettingsDto b) =>
        $"domains [{string.Join(",", a.AllowedEmailDomains)}]→[{string.Join(",", b.AllowedEmailDomains)}]; " +
        $"workspaces {a.MaxWorkspacesPerUser}→{b.MaxWorkspacesPerUser}; educator courses {a.MaxCoursesPerEducator}→{b.MaxCoursesPerEducator}; " +
        $"student courses {a.MaxCoursesPerStudent}→{b.MaxCoursesPerStudent}";
}
