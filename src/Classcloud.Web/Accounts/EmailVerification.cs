using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts;

/// <summary>Proving an address (seed 002 §2.3): a link redeemed, a link sent again, and what features do once an address is proven.</summary>
public sealed class EmailVerification(
    ClasscloudDb db, UserManager<User> users, AccountTokens tokens, VerificationLinks links, AuditLog audit, IEnumerable<IEmailVerifiedHandler> verifiedHandlers)
{
    /// <summary>Redeems a verification link: confirms the address, or switches to a new one (My page).</summary>
    public async Task<Outcome<User>> VerifyAsync(string? token, CancellationToken ct)
    {
        var redeemed = await tokens.RedeemAsync(token, [TokenPurpose.VerifyEmail, TokenPurpose.ChangeEmail], ct);
        var user = redeemed is null ? null : await db.Users.SingleOrDefaultAsync(u => u.Id == redeemed.UserId, ct);
        if (redeemed is null || user is null)
        {
            return Problem.BadRequest("This link is invalid, expired or already used. Ask for a new one.");
        }
        if (redeemed.Purpose == TokenPurpose.ChangeEmail)
        {
            var newEmail = redeemed.Data!;
            if (await db.Users.AnyAsync(u => u.NormalizedEmail == users.NormalizeEmail(newEmail) && u.Id != user.Id, ct))
            {
                return Problem.Conflict("This e-mail address is already registered.");
            }
            var old = user.Email;
            await users.SetEmailAsync(user, newEmail);
            await users.SetUserNameAsync(user, newEmail);
            audit.Record(AuditActions.EmailChange, target: newEmail, detail: $"from {old}", actorId: user.Id, actorEmail: newEmail);
        }
        else
        {
            audit.Record(AuditActions.Verify, target: user.Email, actorId: user.Id, actorEmail: user.Email);
        }
        user.EmailConfirmed = true;
        await users.UpdateAsync(user);
        await EmailConfirmedAsync(user, ct);
        return user;
    }

    /// <summary>Lets features act on invitations to a newly proven address (course rosters); also called for provider-verified sign-ups.</summary>
    public async Task EmailConfirmedAsync(User user, CancellationToken ct)
    {
        foreach (var handler in verifiedHandlers)
        {
            await handler.EmailVerifiedAsync(user, ct);
        }
    }

    /// <summary>Sends a fresh link to an unverified address; says nothing about whether the account exists.</summary>
    public Task ResendAsync(string? email, CancellationToken ct) => links.ResendAsync(email, ct);
}
