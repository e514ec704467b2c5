using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Courses;

/// <summary>Enrols a newly verified address in every course whose roster invited it (seed 002 §2.3).</summary>
internal sealed class RosterInvitationHandler(ClasscloudDb db, Notifier notifier, TimeProvider time) : IEmailVerifiedHandler
{
    public async Task EmailVerifiedAsync(User user, CancellationToken ct)
    {
        var email = user.NormalizedEmail;
        if (string.IsNullOrEmpty(email))
        {
            return;
        }
        var invitations = await db.CourseInvitations.Where(i => i.Email == email).ToListAsync(ct);
        if (invitations.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var invitation in invitations)
        {
            var course = await db.Courses.SingleAsync(c => c.Id == invitation.CourseId, ct);
            var enrolment = await db.Enrolments.SingleOrDefaultAsync(e => e.CourseId == course.Id && e.UserId == user.Id, ct);
            if (enrolment is null)
            {
                enrolment = new Enrolment { CourseId = course.Id, UserId = user.Id, AppliedAt = now };
                db.Enrolments.Add(enrolment);
            }
            enrolment.Status = EnrolmentStatus.Accepted;
            enrolment.DecidedAt = now;
            enrolment.StudentNumber = invitation.StudentNumber ?? enrolment.StudentNumber;
            notifier.Add(user.Id, NotificationKind.Enrolled, course,
                invitation.InvitedById is { } inviter ? await notifier.ActorAsync(inviter, ct) : default);
            db.CourseInvitations.Remove(invitation);
        }
        await db.SaveChangesAsync(ct);
    }
}
