using Classcloud.Web.Courses;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Groups;

/// <summary>Tells the invitee: a notification when the address has an account, and a mail either way (sent with the caller's save).</summary>
public sealed class GroupInvitationNotice(Notifier notifier, CourseMails mails)
{
    public async Task AddAsync(Caller caller, long? inviteeId, string email, Group group, CancellationToken ct)
    {
        var actor = await notifier.ActorAsync(caller.UserId, ct);
        if (inviteeId is { } id)
        {
            notifier.Add(id, NotificationKind.GroupInvitation, group.Name, actor, groupId: group.Id);
        }
        mails.GroupInvitation(email, group.Name, actor.Name);
    }
}
