using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts;

/// <summary>My page's profile: nickname, e-mail (re-verified) and language (seed 000 MEM03). The password is <see cref="PasswordChange"/>, deleting the account <see cref="AccountDeletion"/>.</summary>
public sealed class ProfileService(
    ClasscloudDb db, UserManager<User> users, AccountValidation validate, AccountTokens tokens, AccountMails mails, SettingsService settings)
{
    public static readonly string[] Cultures = ["en", "ko"];

    public async Task<Outcome<User>> UpdateAsync(long userId, UpdateProfileRequest request, CancellationToken ct)
    {
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        if (request.Nickname is not null)
        {
            var problem = validate.Text(request.Nickname, "Nickname", AccountLimits.Nickname);
            if (problem is not null)
            {
                return problem;
            }
            user.Nickname = request.Nickname.Trim();
        }
        if (request.Culture is not null)
        {
            if (request.Culture.Length > 0 && !Cultures.Contains(request.Culture))
            {
                return Problem.BadRequest("Language must be one of: {0}.", string.Join(", ", Cultures));
            }
            user.Culture = request.Culture.Length == 0 ? null : request.Culture;
        }
        var newEmail = request.Email?.Trim();
        if (!string.IsNullOrEmpty(newEmail) && !string.Equals(newEmail, user.Email, StringComparison.OrdinalIgnoreCase))
        {
            var problem = validate.Email(newEmail);
            if (problem is not null)
            {
                return problem;
            }
            // The sign-up allow-list holds for a changed address too, or it could be stepped around.
            var current = await settings.GetAsync(ct);
            if (!current.AllowsEmail(newEmail))
            {
                return Problem.BadRequest("Sign-up is limited to addresses at {0}.", string.Join(", ", current.DomainPatterns));
            }
            if (await users.FindByEmailAsync(newEmail) is not null)
            {
                return Problem.Conflict("This e-mail address is already registered.");
            }
            // The address changes only when the link mailed to the new address is opened.
            mails.ChangeEmail(user, newEmail, tokens.Issue(user.Id, TokenPurpose.ChangeEmail, newEmail));
        }
        await db.SaveChangesAsync(ct);
        return user;
    }
}
