using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>Status is enrol, invite, duplicate, member (already in the course) or invalid.</summary>
public sealed record RosterRowDto(int Line, string Email, string Name, string? StudentNumber, string Status, string Detail);

public sealed record RosterReport(
    bool DryRun, bool Valid, string? Problem, int Enrol, int Invite, int Duplicate, int Member, int Invalid, IReadOnlyList<RosterRowDto> Rows);

/// <summary>
/// Roster import (seed 002 §2.3): a preview with one entry per row, then the same file confirmed.
/// A file with any invalid row enrols nobody; existing accounts are enrolled at once, other
/// addresses get an invitation mail that enrols them once they sign up and confirm the address.
/// </summary>
public sealed class RosterService(
    ClasscloudDb db, CourseGate gate, EnrolmentService enrolments, Notifier notifier, CourseMails mails, AuditLog audit,
    IOptions<CoursesOptions> options, IStringLocalizer<SharedResource> t, TimeProvider time)
{
    /// <summary>Checked before the upload is read, so outsiders are refused without sending a file's worth of work.</summary>
    public async Task<Problem?> AuthorizeAsync(Caller caller, long courseId, CancellationToken ct)
    {
        return (await gate.OpenAsEducatorAsync(courseId, caller, ct)).Problem;
    }

    public async Task<Outcome<RosterReport>> ImportAsync(Caller caller, long courseId, byte[] content, bool dryRun, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        var parsed = RosterParser.Parse(content, options.Value.MaxRosterRows);
        if (parsed.Error is { } fileError)
        {
            return Problem.BadRequest(fileError switch
            {
                RosterFileError.TooManyRows => t["The file has more than {0} rows; split it into smaller files.", options.Value.MaxRosterRows],
                RosterFileError.NoEmailColumn => t["The first row must name the columns (e-mail, name, student number — or 이메일, 이름, 학번), or every row must start with an e-mail address."],
                _ => t["The file has no rows."],
            });
        }
        var course = access.Course;
        var rows = await ClassifyAsync(course, parsed.Lines, ct);
        var report = Summarize(rows, dryRun, null);
        if (!report.Valid)
        {
            report = report with { Problem = t["{0} of {1} rows cannot be used. Fix them and upload the file again; nobody is enrolled from a file with errors.", report.Invalid, rows.Count] };
        }
        var enrolCount = rows.Count(r => r.Status == "enrol");
        if (report.Valid && enrolCount > 0 && await enrolments.IsFullAsync(course, enrolCount, ct))
        {
            report = report with { Valid = false, Problem = t["The course has a capacity of {0}; this file would take it over.", course.Capacity ?? 0] };
        }
        if (dryRun || !report.Valid)
        {
            return report;
        }
        await ApplyAsync(caller, course, parsed.Lines, rows, ct);
        return report;
    }

    async Task<List<RosterRowDto>> ClassifyAsync(Course course, IReadOnlyList<RosterLine> lines, CancellationToken ct)
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

    async Task ApplyAsync(Caller caller, Course course, IReadOnlyList<RosterLine> lines, List<RosterRowDto> rows, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var actor = await notifier.ActorAsync(caller.UserId, ct);
        var enrol = rows.Where(r => r.Status == "enrol").ToList();
        var invite = rows.Where(r => r.Status == "invite").ToList();
        var enrolEmails = enrol.Select(r => r.Email.ToUpperInvariant()).ToList();
        var inviteEmails = invite.Select(r => r.Email.ToUpperInvariant()).ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var users = await db.Users.Where(u => enrolEmails.Contains(u.NormalizedEmail!)).Select(u => new { u.Id, u.NormalizedEmail }).ToListAsync(ct);
        var userIds = users.Select(u => u.Id).ToList();
        var existing = await db.Enrolments.Where(e => e.CourseId == course.Id && userIds.Contains(e.UserId)).ToDictionaryAsync(e => e.UserId, ct);
        var idByEmail = users.ToDictionary(u => u.NormalizedEmail!, u => u.Id);
        foreach (var row in enrol)
        {
            var id = idByEmail[row.Email.ToUpperInvariant()];
            // An educator's roster overrides a pending or rejected application.
            if (!existing.TryGetValue(id, out var enrolment))
            {
                enrolment = new Enrolment { CourseId = course.Id, UserId = id, AppliedAt = now };
                db.Enrolments.Add(enrolment);
            }
            enrolment.Status = EnrolmentStatus.Accepted;
            enrolment.DecidedAt = now;
            enrolment.StudentNumber = row.StudentNumber ?? enrolment.StudentNumber;
            notifier.Add(id, NotificationKind.Enrolled, course, actor);
        }
        var invitations = await db.CourseInvitations.Where(i => i.CourseId == course.Id && inviteEmails.Contains(i.Email)).ToDictionaryAsync(i => i.Email, ct);
        foreach (var row in invite)
        {
            var key = row.Email.ToUpperInvariant();
            if (!invitations.TryGetValue(key, out var invitation))
            {
                invitation = new CourseInvitation { CourseId = course.Id, Email = key };
                db.CourseInvitations.Add(invitation);
            }
            invitation.Name = row.Name;
            invitation.StudentNumber = row.StudentNumber;
            invitation.InvitedById = caller.UserId;
            invitation.CreatedAt = now;
            mails.RosterInvitation(row.Email, course.Name, actor.Name);
        }
        audit.Record(CourseAudit.Roster, $"course {course.Id}", $"{enrol.Count} enrolled, {invite.Count} invited, {lines.Count} rows");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    static RosterReport Summarize(List<RosterRowDto> rows, bool dryRun, string? problem)
    {
        int Count(string status) => rows.Count(r => r.Status == status);
        var invalid = Count("invalid");
        return new RosterReport(dryRun, invalid == 0, problem, Count("enrol"), Count("invite"), Count("duplicate"), Count("member"), invalid, rows);
    }

    static string Shorten(string value) => value.Length > 60 ? value[..60] + "…" : value;
}
