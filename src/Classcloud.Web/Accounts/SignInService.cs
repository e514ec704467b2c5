using Classcloud.Web.Admin;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts;

/// <summary>Password sign-in with lockout, for the API and the sign-in page alike.</summary>
public sealed class SignInService(
    UserManager<User> users, SignInManager<User> signIn, AuditLog audit, IStringLocalizer<SharedResource> t,
    IHttpContextAccessor http, TimeProvider time)
{
    public async Task<Outcome<User>> SignInAsync(string? email, string? password, bool persistent, CancellationToken ct)
    {
        email = email?.Trim();
        var user = string.IsNullOrEmpty(email) || email.Length > AccountLimits.Email ? null : await users.FindByEmailAsync(email);
        var wrong = Problem.Unauthorized("The e-mail or password is incorrect.");
        if (user is null || string.IsNullOrEmpty(password) || password.Length > AccountLimits.Password)
        {
            await audit.RecordAndSaveAsync(AuditActions.SignInFailure, email, "unknown account or empty password", null, email, ct);
            return wrong;
        }
        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            var minutes = Math.Max(1, (int)Math.Ceiling(((user.LockoutEnd ?? time.GetUtcNow()) - time.GetUtcNow()).TotalMinutes));
            await audit.RecordAndSaveAsync(AuditActions.SignInFailure, email, "locked out", user.Id, email, ct);
            return Problem.Forbidden("Too many failed attempts. Try again in {0} minutes.", minutes);
        }
        if (!check.Succeeded)
        {
            // NotAllowed means the password was right but the e-mail is unconfirmed or the account disabled.
            if (check.IsNotAllowed && await users.CheckPasswordAsync(user, password))
            {
                await audit.RecordAndSaveAsync(AuditActions.SignInFailure, email, user.EmailConfirmed ? "disabled" : "unverified", user.Id, email, ct);
                return Problem.Forbidden(user.EmailConfirmed
                    ? t["This account is disabled. Contact an administrator."]
                    : t["Confirm your e-mail address first: open the link we mailed you."]);
            }
            await audit.RecordAndSaveAsync(AuditActions.SignInFailure, email, "wrong password", user.Id, email, ct);
            return wrong;
        }
        await signIn.SignInAsync(user, persistent);
        RememberCulture(user);
        await audit.RecordAndSaveAsync(AuditActions.SignInSuccess, email, null, user.Id, email, ct);
        return user;
    }

    public async Task SignOutAsync(CancellationToken ct)
    {
        var principal = http.HttpContext?.User;
        if (principal?.Identity?.IsAuthenticated == true)
        {
            await audit.RecordAndSaveAsync(AuditActions.SignOut, null, null, null, null, ct);
        }
        await signIn.SignOutAsync();
    }

    /// <summary>
    /// After a password change the new security stamp ends the account's other sessions; the cookie
    /// session that made the change gets a fresh cookie so it goes on. Token requests have no cookie.
    /// </summary>
    public async Task RefreshAsync(long userId)
    {
        if (http.HttpContext is { } context && !context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && await users.FindByIdAsync(userId.ToString(System.Globalization.CultureInfo.InvariantCulture)) is { } user)
        {
            await signIn.RefreshSignInAsync(user);
        }
    }

    /// <summary>The language a user chose follows them to every browser they sign in from.</summary>
    public void RememberCulture(User user)
    {
        if (user.Culture is { Length: > 0 } culture && http.HttpContext is { } context)
        {
            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = time.GetUtcNow().AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax });
        }
    }
}
