using Classcloud.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace Classcloud.Web.Accounts;

/// <summary>Verification links: one for a new account, and a fresh one for an address not yet verified.</summary>
public sealed class VerificationLinks(ClasscloudDb db, UserManager<User> users, AccountValidation validate, AccountTokens tokens, AccountMails mails)
{
    /// <summary>Queues the link's mail with the caller's unit of work (saved by the caller).</summary>
    public void Add(User user) => mails.Verify(user, tokens.Issue(user.Id, TokenPurpose.VerifyEmail));

    /// <summary>Sends a fresh link to an unverified address; says nothing about whether the account exists.</summary>
    public async Task ResendAsync(string? email, CancellationToken ct)
    {
        if (validate.Email(email?.Trim()) is not null)
        {
            return;
        }
        var user = await users.FindByEmailAsync(email!.Trim());
        if (user is { EmailConfirmed: false })
        {
            Add(user);
            await db.SaveChangesAsync(ct);
        }
    }
}
