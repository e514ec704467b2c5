using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts;

/// <summary>What a sign-up form must meet: every field checked at once, so the page shows each error beside its field.</summary>
public sealed class SignUpRules(UserManager<User> users, AccountValidation validate, SettingsService settings)
{
    /// <summary>The role asked for, or a problem with one message per field.</summary>
    public async Task<Outcome<AccountRole>> CheckAsync(RegisterRequest request, string? email, CancellationToken ct)
    {
        // Every field is checked before answering, so the page can show each error beside its field at once (issue 17).
        var errors = new FieldErrors();
        errors.Add("email", validate.Email(email));
        errors.Add("password", validate.Password(request.Password));
        errors.Add("name", validate.Text(request.Name, "Name", AccountLimits.Name));
        errors.Add("nickname", validate.Text(request.Nickname, "Nickname", AccountLimits.Nickname));
        AccountRole? role = request.Role?.Trim().ToLowerInvariant() switch
        {
            "student" => AccountRole.Student,
            "educator" => AccountRole.Educator,
            _ => null,
        };
        errors.Add("role", role is null ? Problem.BadRequest("Role must be 'student' or 'educator'.") : null);
        var current = await settings.GetAsync(ct);
        if (!errors.Has("email") && !current.AllowsEmail(email!))
        {
            errors.Add("email", Problem.BadRequest("Sign-up is limited to addresses at {0}.", string.Join(", ", current.DomainPatterns)));
        }
        if (!errors.Has("password"))
        {
            // The password rules (length, a letter, a digit) now, not after the other fields pass.
            foreach (var validator in users.PasswordValidators)
            {
                var checkedPassword = await validator.ValidateAsync(users, new User { UserName = email, Email = email }, request.Password!);
                errors.Add("password", checkedPassword.Succeeded ? null : validate.FromIdentity(checkedPassword));
            }
        }
        if (!errors.Has("email") && await users.FindByEmailAsync(email!) is not null)
        {
            errors.Add("email", Problem.Conflict("This e-mail address is already registered."));
        }
        if (errors.ToProblem() is { } problem)
        {
            return problem;
        }
        return role!.Value;
    }

    /// <summary>Identity's refusal (a password rule, a taken name) as a problem.</summary>
    public Problem FromIdentity(IdentityResult result) => validate.FromIdentity(result);
}
