using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Identity;

namespace Classcloud.Web.Lti;

/// <summary>Someone the platform vouches for: in a launch's claims or in its roster.</summary>
public sealed record LtiPerson(string Subject, string? Name, string? Email, bool Instructor);

/// <summary>
/// The Classcloud account behind a launch: linked by platform and subject (an external login
/// <c>lti:{platform id}</c>), made on the first launch from the name and address in the claims, then signed in.
/// </summary>
public sealed class LtiAccounts(UserManager<User> users, SignInManager<User> signIn, AuditLog audit, TimeProvider time)
{
    public static string LoginProvider(long platformId) => $"lti:{platformId}";

    public async Task<Outcome<User>> SignInAsync(LtiLaunch launch, CancellationToken ct)
    {
        var provider = LoginProvider(launch.Platform.Id);
        var user = await users.FindByLoginAsync(provider, launch.Subject);
        if (user is null)
        {
            var made = await LinkOrCreateAsync(launch.Platform, new LtiPerson(launch.Subject, launch.Name, launch.Email, launch.IsInstructor), ct);
            if (!made.Succeeded)
            {
                return made;
            }
            user = made.Value!;
        }
        if (user.Status == AccountStatus.Disabled || !user.EmailConfirmed)
        {
            await audit.RecordAndSaveAsync(AuditActions.SignInFailure, user.Email, $"via LTI {launch.Platform.Issuer}: not allowed", user.Id, user.Email, ct);
            return Problem.Forbidden("This account is disabled. Contact an administrator.");
        }
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "lti");
        // The rest of this request acts as the person too (the deep-linking picker's antiforgery token is made for them).
        signIn.Context.User = await signIn.CreateUserPrincipalAsync(user);
        await audit.RecordAndSaveAsync(AuditActions.SignInSuccess, user.Email, $"via LTI {launch.Platform.Issuer}", user.Id, user.Email, ct);
        return user;
    }

    /// <summary>The account already linked to this person of the platform, or null.</summary>
    public Task<User?> FindAsync(LtiPlatform platform, string subject) => users.FindByLoginAsync(LoginProvider(platform.Id), subject);

    /// <summary>
    /// An administrator registered the platform, so its word on an address is trusted as a school's own sign-in
    /// service would be: a launch with the address of a confirmed account joins that account. Never an administrator's
    /// account: a platform must not be able to hand out Classcloud's administration.
    /// </summary>
    public async Task<Outcome<User>> LinkOrCreateAsync(LtiPlatform platform, LtiPerson person, CancellationToken ct)
    {
        var provider = LoginProvider(platform.Id);
        if (person.Email is not { } email || email.Length > AccountLimits.Email || !email.Contains('@', StringComparison.Ordinal))
        {
            return Problem.BadRequest("{0} did not share your e-mail address with Classcloud. Ask the platform's administrator to share names and e-mail addresses with this tool.", platform.Name);
        }
        var login = new UserLoginInfo(provider, person.Subject, platform.Name);
        var existing = await users.FindByEmailAsync(email);
        if (existing is not null)
        {
            if (existing.Role == AccountRole.Admin || !existing.EmailConfirmed)
            {
                return Problem.Conflict("An account with {0} already exists in Classcloud and cannot be joined from a learning platform. Sign in to Classcloud directly.", email);
            }
            var added = await users.AddLoginAsync(existing, login);
            if (!added.Succeeded)
            {
                return Problem.Conflict("An account with {0} already exists in Classcloud and cannot be joined from a learning platform. Sign in to Classcloud directly.", email);
            }
            await audit.RecordAndSaveAsync(AuditActions.ExternalLink, existing.Email, $"LTI {platform.Issuer} user {person.Subject}", existing.Id, existing.Email, ct);
            return existing;
        }
        var name = Clean(person.Name, AccountLimits.Name) ?? Clean(email[..email.IndexOf('@', StringComparison.Ordinal)], AccountLimits.Name) ?? email;
        // A teacher in the LMS asks for an educator account, which waits for an administrator's approval like any other
        // (seed 000 §3.2.4); everyone else is a student.
        var user = new User
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            Name = name,
            Nickname = Clean(name, AccountLimits.Nickname)!,
            Role = person.Instructor ? AccountRole.Educator : AccountRole.Student,
            Status = person.Instructor ? AccountStatus.Pending : AccountStatus.Active,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(user);
        var linked = created.Succeeded ? await users.AddLoginAsync(user, login) : created;
        if (!linked.Succeeded)
        {
            return Problem.BadRequest("Your Classcloud account could not be made: {0}", string.Join(" ", linked.Errors.Select(e => e.Description)));
        }
        await audit.RecordAndSaveAsync(AuditActions.SignUp, email, $"role={user.Role.ToString().ToLowerInvariant()} via LTI {platform.Issuer}", user.Id, email, ct);
        return user;
    }

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
