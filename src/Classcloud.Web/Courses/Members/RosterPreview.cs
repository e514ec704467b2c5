using Classcloud.Web.Data;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Courses;

/// <summary>What each row of a roster file would do (enrol, invite, duplicate, member, invalid), with the sentence shown beside it.</summary>
public sealed class RosterPreview(ClasscloudDb db, IStringLocalizer<SharedResource> t)
{
    public async Task<List<RosterRowDto>> ClassifyAsync(Course course, IReadOnlyList<RosterLine> lines, CancellationToken ct)
    {
        var wanted = lines.Where(l => l.Error is null).Select(l => l.Email.ToUpperInvariant()).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => wanted.Contains(u.NormalizedEmail!))
            .Select(u => new { u.Id, u.NormalizedEmail }).ToListAsync(ct);
        var byEmail = users.ToDictionary(u => u.NormalizedEmail!, u => u.Id);
        var ids = users.Select(u => u.Id).ToList();
        var accepted = (await db.Enrolments.Where(e => e.CourseId == course.Id && ids.Contains(e.UserId) && e.Status == EnrolmentStatus.Accepted)
            .Select(e => e.UserId).ToListAsync(ct)).ToHashSet();
        var teaching = (await db.CoEducators.Where(c => c.CourseId == course.Id).Select(c => c.UserId).ToListAsync(ct)).Append(course.OwnerId).ToHashSet();
        var seen = new HashSet<string>();
        var rows = new List<RosterRowDto>(lines.Count);
        foreach (var line in lines)
        {
            var key = line.Email.ToUpperInvariant();
            var (status, detail) = line.Error switch
            {
                RosterError.MissingEmail => ("invalid", t["The e-mail address is missing."].Value),
                RosterError.InvalidEmail => ("invalid", t["'{0}' is not a valid e-mail address.", Shorten(line.Email)].Value),
                RosterError.FieldTooLong => ("invalid", t["The name or student number is too long or contains control characters."].Value),
                RosterError.BadQuoting => ("invalid", t["The row's quotes do not match."].Value),
                _ when !seen.Add(key) => ("duplicate", t["This address appears earlier in the file."].Value),
                _ when byEmail.TryGetValue(key, out var id) && (accepted.Contains(id) || teaching.Contains(id)) => ("member", t["Already in this course."].Value),
                _ when byEmail.ContainsKey(key) => ("enrol", t["Will be enrolled."].Value),
                _ => ("invite", t["No account yet: will be invited by e-mail and enrolled after signing up."].Value),
            };
            rows.Add(new RosterRowDto(line.Line, line.Email, line.Name, line.StudentNumber, status, detail));
        }
        return rows;
    }

    public static RosterReport Summarize(List<RosterRowDto> rows, bool dryRun, string? problem)
    {
        int Count(string status) => rows.Count(r => r.Status == status);
        var invalid = Count("invalid");
        return new RosterReport(dryRun, invalid == 0, problem, Count("enrol"), Count("invite"), Count("duplicate"), Count("member"), invalid, rows);
    }

    static string Shorten(string value) => value.Length > 60 ? value[..60] + "…" : value;
}
