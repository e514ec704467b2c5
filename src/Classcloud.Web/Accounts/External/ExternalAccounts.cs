using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts.External;

/// <summary>
/// Sign-up through a provider. Always a student account: educators need an administrator's
/// approval of what they entered in the sign-up form (seed 000 §3.2.4), which a provider cannot give.
/// </summary>
public sealed class ExternalAccounts(
    ClasscloudDb db, UserManager<User> users, ExternalSignUpRules rules, EmailVerification registration, AuditLog audit, TimeProvider time)
{
    public async Task<Outcome<User>> CreateAsync(ExternalProvider provider, ExternalProfile profile, CancellationToken ct)
    {
        if (await rules.CheckAsync(provider, profile.Email, ct) is { } refused)
        {
            return await RefuseAsync(refused.Problem, refused.Reason, profile.Email, ct);
        }
        var email = profile.Email!; // CheckAsync refuses a missing address
        var name = Clean(profile.Name, AccountLimits.Name) ?? Clean(email[..email.IndexOf('@', StringComparison.Ordinal)], AccountLimits.Name) ?? email;
        var user = new User
        {
            UserName = email,
            Email = email,
            EmailConfirmed = profile.EmailVerified,
            Name = name,
            Nickname = Clean(name, AccountLimits.Nickname)!,
            Role = AccountRole.Student,
            Status = AccountStatus.Active,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var created = await users.CreateAsync(user);
            var linked = created.Succeeded ? await users.AddLoginAsync(user, new UserLoginInfo(provider.Name, profile.Key, provider.DisplayName)) : created;
            if (!linked.Succeeded)
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                return await RefuseAsync(rules.FromIdentity(linked), $"{provider.Name}: sign-up failed: {string.Join(" ", linked.Errors.Select(e => e.Code))}", email, ct);
            }
            audit.Record(AuditActions.SignUp, target: email, detail: $"role=student via {provider.Name}", actorId: user.Id, actorEmail: email);
            audit.Record(AuditActions.ExternalLink, target: email, detail: $"{provider.Name} account {profile.Key}", actorId: user.Id, actorEmail: email);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        if (!user.EmailConfirmed)
        {
            // The provider did not vouch for the address: confirm it by mail, as a form sign-up does.
            await registration.ResendAsync(email, ct);
        }
        else
        {
            await registration.EmailConfirmedAsync(user, ct);
        }
        return user;
    }

    async Task<Outcome<User>> RefuseAsync(Problem problem, string reason, string? email, CancellationToken ct)
    {
        await audit.RecordAndSaveAsync(AuditActions.SignInFailure, email, reason, null, email, ct);
        return problem;
    }

    /// <summary>A provider's display name, trimmed to our limits and free of control characters; null when nothing is left.</summary>
    static string? Clean(string? value, int max)
    {
        var text = new string((value ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (text.Length > max)
        {
            text = text[..max].Trim();
        }
        return text.Length == 0 ? null : text;
    }
}
