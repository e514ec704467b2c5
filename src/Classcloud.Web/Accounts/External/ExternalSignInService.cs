using Classcloud.Web.Admin;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts.External;

/// <summary>
/// Finishes a social sign-in: the account already linked to the provider's user, else an account
/// with the same e-mail (only when the provider verified it), else a new student account.
/// </summary>
public sealed class ExternalSignInService(
    UserManager<User> users, SignInManager<User> signIn, SignInService passwords, ExternalAccounts accounts,
    ExternalProviders providers, AuditLog audit)
{
    public const string NotCompleted = "Signing in with the other service did not complete: it was cancelled, took too long or was refused. Try again.";

    public async Task<Outcome<User>> CompleteAsync(CancellationToken ct)
    {
        var info = await signIn.GetExternalLoginInfoAsync();
        var provider = info is null ? null : providers.Find(info.LoginProvider);
        if (info is null || provider is null)
        {
            return await RefuseAsync(Problem.BadRequest(NotCompleted), "no external sign-in to complete", null, null, ct);
        }
        // The provider's answer is used once, whatever happens next.
        await signIn.Context.SignOutAsync(IdentityConstants.ExternalScheme);
        var profile = ExternalClaims.Read(info);
        var user = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
        if (user is null)
        {
            var sameEmail = profile.Email is null ? null : await users.FindByEmailAsync(profile.Email);
            var outcome = sameEmail is null
                ? await accounts.CreateAsync(provider, profile, ct)
                : await LinkAsync(sameEmail, provider, profile, ct);
            if (!outcome.Succeeded)
            {
                return outcome;
            }
            user = outcome.Value!;
        }
        return await SignInAsync(user, provider, info.ProviderKey, ct);
    }

    /// <summary>
    /// Links only when the provider vouches for the address, and only to a confirmed account: an
    /// unconfirmed one may have been registered by someone else to take the address over later.
    /// </summary>
    async Task<Outcome<User>> LinkAsync(User user, ExternalProvider provider, ExternalProfile profile, CancellationToken ct)
    {
        if (!profile.EmailVerified)
        {
            return await RefuseAsync(Problem.Conflict("An account with {0} already exists, but {1} has not confirmed that this address is yours, so we did not connect them. Sign in with your password instead.", profile.Email!, provider.DisplayName),
                $"{provider.Name}: e-mail not verified by the provider; not linked", profile.Email, user.Id, ct);
        }
        if (!user.EmailConfirmed)
        {
            return await RefuseAsync(Problem.Conflict("An account with {0} exists but its address is not confirmed yet. Open the link we mailed to it, then continue with {1} again.", profile.Email!, provider.DisplayName),
                $"{provider.Name}: existing account unconfirmed; not linked", profile.Email, user.Id, ct);
        }
        if (user.Status == AccountStatus.Disabled)
        {
            return await RefuseAsync(Problem.Forbidden("This account is disabled. Contact an administrator."), $"{provider.Name}: disabled", user.Email, user.Id, ct);
        }
        var added = await users.AddLoginAsync(user, new UserLoginInfo(provider.Name, profile.Key, provider.DisplayName));
        if (!added.Succeeded)
        {
            return await RefuseAsync(Problem.Conflict(NotCompleted), $"{provider.Name}: link failed: {string.Join(" ", added.Errors.Select(e => e.Code))}", user.Email, user.Id, ct);
        }
        await audit.RecordAndSaveAsync(AuditActions.ExternalLink, user.Email, $"{provider.Name} account {profile.Key} linked by verified e-mail", user.Id, user.Email, ct);
        return user;
    }

    async Task<Outcome<User>> SignInAsync(User user, ExternalProvider provider, string key, CancellationToken ct)
    {
        if (user.Status == AccountStatus.Disabled)
        {
            return await RefuseAsync(Problem.Forbidden("This account is disabled. Contact an administrator."), $"{provider.Name}: disabled", user.Email, user.Id, ct);
        }
        if (!user.EmailConfirmed)
        {
            return await RefuseAsync(Problem.Forbidden("Confirm your e-mail address first: open the link we mailed you."), $"{provider.Name}: unverified", user.Email, user.Id, ct);
        }
        var result = await signIn.ExternalLoginSignInAsync(provider.Name, key, isPersistent: false, bypassTwoFactor: true);
        if (!result.Succeeded)
        {
            var problem = result.IsLockedOut
                ? Problem.Forbidden("Too many failed attempts. Try again in a few minutes.")
                : Problem.Forbidden("This account is disabled. Contact an administrator.");
            return await RefuseAsync(problem, $"{provider.Name}: {(result.IsLockedOut ? "locked out" : "not allowed")}", user.Email, user.Id, ct);
        }
        passwords.RememberCulture(user);
        await audit.RecordAndSaveAsync(AuditActions.SignInSuccess, user.Email, $"via {provider.Name}", user.Id, user.Email, ct);
        return user;
    }

    async Task<Outcome<User>> RefuseAsync(Problem problem, string reason, string? email, long? userId, CancellationToken ct)
    {
        await audit.RecordAndSaveAsync(AuditActions.SignInFailure, email, reason, userId, email, ct);
        return problem;
    }
}
