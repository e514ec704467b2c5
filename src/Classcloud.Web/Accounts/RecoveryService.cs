using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts;

/// <summary>
/// Find my ID and password reset (seed 000 §3.2.5–3.2.6). The answers never reveal whether an
/// account exists: the same response either way, and the mail goes only to the owner's address.
/// </summary>
public sealed class RecoveryService(
    ClasscloudDb db, UserManager<User> users, AccountValidation validate, AccountTokens tokens,
    AccountMails mails, AuditLog audit)
{
    public async Task<Problem?> RemindIdAsync(ForgotIdRequest request, CancellationToken ct)
    {
        var problem = validate.Text(request.Name, "Name", AccountLimits.Name) ?? validate.Email(request.Email?.Trim());
        if (problem is not null)
        {
            return problem;
        }
        var user = await users.FindByEmailAsync(request.Email!.Trim());
        if (user is not null && string.Equals(user.Name, request.Name!.Trim(), StringComparison.Ordinal))
        {
            mails.IdReminder(user);
            await db.SaveChangesAsync(ct);
        }
        return null;
    }

    public async Task<Problem?> RequestResetAsync(string? email, CancellationToken ct)
    {
        var problem = validate.Email(email?.Trim());
        if (problem is not null)
        {
            return problem;
        }
        var user = await users.FindByEmailAsync(email!.Trim());
        if (user is { EmailConfirmed: true } && user.Status != AccountStatus.Disabled)
        {
            mails.ResetPassword(user, tokens.Issue(user.Id, TokenPurpose.ResetPassword));
            await db.SaveChangesAsync(ct);
        }
        return null;
    }

    public async Task<Problem?> ResetAsync(ResetPasswordRequest request, CancellationToken ct)
    {
        var problem = validate.Password(request.Password);
        if (problem is not null)
        {
            return problem;
        }
        // Validate the new password before spending the token, so a weak choice does not burn the link.
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, new User(), request.Password!);
            if (!check.Succeeded)
            {
                return validate.FromIdentity(check);
            }
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var redeemed = await tokens.RedeemAsync(request.Token, [TokenPurpose.ResetPassword], ct);
        var user = redeemed is null ? null : await db.Users.SingleOrDefaultAsync(u => u.Id == redeemed.UserId, ct);
        if (user is null)
        {
            return Problem.BadRequest("This link is invalid, expired or already used. Ask for a new one.");
        }
        var identityToken = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, identityToken, request.Password!);
        if (!result.Succeeded)
        {
            return validate.FromIdentity(result);
        }
        await users.ResetAccessFailedCountAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        audit.Record(AuditActions.PasswordReset, target: user.Email, actorId: user.Id, actorEmail: user.Email);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }
}
