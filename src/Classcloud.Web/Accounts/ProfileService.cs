using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts;

/// <summary>My page: nickname, e-mail (re-verified), language, password, and deleting the account (seed 000 MEM03–MEM04).</summary>
public sealed class ProfileService(
    ClasscloudDb db, UserManager<User> users, AccountValidation validate, AccountTokens tokens, AccountMails mails,
    AuditLog audit, IEnumerable<IAccountDeletionGuard> guards, IEnumerable<IAccountEraser> erasers, SettingsService settings)
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

    public async Task<Problem?> ChangePasswordAsync(long userId, ChangePasswordRequest request, CancellationToken ct)
    {
        var problem = validate.Password(request.CurrentPassword) ?? validate.Password(request.NewPassword);
        if (problem is not null)
        {
            return problem;
        }
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        var result = await users.ChangePasswordAsync(user, request.CurrentPassword!, request.NewPassword!);
        if (!result.Succeeded)
        {
            return validate.FromIdentity(result);
        }
        await audit.RecordAndSaveAsync(AuditActions.PasswordChange, user.Email, null, user.Id, user.Email, ct);
        return null;
    }

    /// <summary>Deletes the account after the password is re-entered and the deletion confirmed.</summary>
    public async Task<Problem?> DeleteAsync(long userId, DeleteAccountRequest request, CancellationToken ct)
    {
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        if (!request.Confirm)
        {
            return Problem.BadRequest("Confirm that you want to delete your account.");
        }
        if (string.IsNullOrEmpty(request.Password) || !await users.CheckPasswordAsync(user, request.Password))
        {
            return Problem.BadRequest("The current password is incorrect.");
        }
        return await DeleteUserAsync(user, "self", ct);
    }

    /// <summary>Shared by self-deletion and administrators: guards first, the audit entry with the deletion.</summary>
    public async Task<Problem?> DeleteUserAsync(User user, string by, CancellationToken ct)
    {
        foreach (var guard in guards)
        {
            if (await guard.BlockingReasonAsync(user, ct) is { } reason)
            {
                return Problem.Conflict(reason);
            }
        }
        if (user.Role == AccountRole.Admin && !await db.Users.AnyAsync(u => u.Role == AccountRole.Admin && u.Id != user.Id && u.Status == AccountStatus.Active, ct))
        {
            return Problem.Conflict("The last administrator cannot be deleted.");
        }
        // What lives beside the rows (containers, volumes, registry images, files) goes first; a failure keeps the account.
        foreach (var eraser in erasers.OrderBy(e => e.Order))
        {
            try
            {
                await eraser.EraseAsync(user, ct);
            }
            catch (Classcloud.Platform.PlatformException ex)
            {
                return new Problem(StatusCodes.Status502BadGateway, "Not everything of the account could be removed yet ({0}); it is kept. Try again.", ex.Message);
            }
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        audit.Record(AuditActions.Delete, target: user.Email, detail: $"by {by}");
        await db.SaveChangesAsync(ct);
        // The audit log keeps what happened, not who: the person's entries (this one included) name a pseudonym.
        await AuditPseudonyms.ApplyAsync(db, user, ct);
        db.Users.Remove(user);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }
}
