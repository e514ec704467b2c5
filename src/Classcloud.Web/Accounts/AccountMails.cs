using System.Globalization;
using Classcloud.Web.Localization;
using Classcloud.Web.Mail;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Accounts;

/// <summary>The account mails, written in the recipient's language (their saved choice, else the current request's).</summary>
public sealed class AccountMails(Mailer mailer, Links links, IStringLocalizer<SharedResource> t)
{
    public void Verify(User user, string token) => Send(user, user.Email!, "Confirm your e-mail address",
        "Hello {0},\n\nOpen this link to confirm your e-mail address for Classcloud:\n{1}\n\nThe link works once and expires in {2} hours. If you did not sign up, ignore this mail.",
        user.Nickname, links.To($"/verify?token={Uri.EscapeDataString(token)}"), AccountTokens.VerifyLifetime.TotalHours);

    public void ChangeEmail(User user, string newEmail, string token) => Send(user, newEmail, "Confirm your new e-mail address",
        "Hello {0},\n\nOpen this link to make {1} your Classcloud sign-in address:\n{2}\n\nThe link works once and expires in {3} hours.",
        user.Nickname, newEmail, links.To($"/verify?token={Uri.EscapeDataString(token)}"), AccountTokens.VerifyLifetime.TotalHours);

    public void ResetPassword(User user, string token) => Send(user, user.Email!, "Reset your password",
        "Hello {0},\n\nOpen this link to choose a new Classcloud password:\n{1}\n\nThe link works once and expires in {2} minutes. If you did not ask for it, ignore this mail; your password stays as it is.",
        user.Nickname, links.To($"/reset-password?token={Uri.EscapeDataString(token)}"), AccountTokens.ResetLifetime.TotalMinutes);

    public void IdReminder(User user) => Send(user, user.Email!, "Your Classcloud ID",
        "Hello {0},\n\nYour Classcloud ID is your e-mail address: {1}\nSign in at {2}",
        user.Nickname, user.Email!, links.To("/signin"));

    public void Approved(User user) => Send(user, user.Email!, "Your educator account is approved",
        "Hello {0},\n\nAn administrator approved your educator account. You can now create courses: {1}",
        user.Nickname, links.To("/"));

    void Send(User user, string to, string subject, string body, params object[] args)
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            if (user.Culture is { Length: > 0 } culture)
            {
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            }
            mailer.Enqueue(to, t[subject], t[body, args]);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
