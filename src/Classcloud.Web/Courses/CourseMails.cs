using Classcloud.Web.Accounts;
using Classcloud.Web.Localization;
using Classcloud.Web.Mail;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Courses;

/// <summary>Mails of the course and group features, in the language of the request that caused them.</summary>
public sealed class CourseMails(Mailer mailer, Links links, IStringLocalizer<SharedResource> t)
{
    /// <summary>A roster line without an account: signing up with this address enrols the person (seed 002).</summary>
    public void RosterInvitation(string email, string courseName, string educator) =>
        mailer.Enqueue(email, t["You are invited to the course {0}", courseName],
            t["Hello,\n\n{0} added you to the course \"{1}\" on Classcloud. Sign up with this e-mail address ({2}) and you will be enrolled as soon as the address is confirmed:\n{3}",
                educator, courseName, email, links.To("/signup?email=" + Uri.EscapeDataString(email))]);

    public void GroupInvitation(string email, string groupName, string inviter) =>
        mailer.Enqueue(email, t["You are invited to the group {0}", groupName],
            t["Hello,\n\n{0} invited you to the group \"{1}\" on Classcloud. Sign in (or sign up) with this e-mail address ({2}) and accept the invitation on the groups page:\n{3}",
                inviter, groupName, email, links.To("/groups")]);
}
