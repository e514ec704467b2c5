using Classcloud.Web.Data;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Courses;

/// <summary>
/// Carries out a confirmed roster in one transaction: existing accounts are enrolled (overriding a pending or
/// rejected application) and notified; other addresses get an invitation and its mail.
/// </summary>
public sealed class RosterEnrolment(ClasscloudDb db, Notifier notifier, CourseMails mails, AuditLog audit, TimeProvider time)
{
    public async Task ApplyAsync(Caller caller, Course course, IReadOnlyList<RosterLine> lines, List<RosterRowDto> rows, CancellationToken ct)
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
}
