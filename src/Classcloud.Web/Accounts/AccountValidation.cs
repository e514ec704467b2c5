using System.Net.Mail;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Accounts;

/// <summary>Field checks shared by the API and the pages; each failure names the field, in the user's language.</summary>
public sealed class AccountValidation(IStringLocalizer<SharedResource> t)
{
    public Problem? Email(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return Problem.BadRequest("E-mail is required.");
        }
        if (email.Length > AccountLimits.Email || !MailAddress.TryCreate(email, out var address) ||
            address.Address != email.Trim() || !address.Host.Contains('.', StringComparison.Ordinal))
        {
            return Problem.BadRequest("'{0}' is not a valid e-mail address.", Shorten(email));
        }
        return null;
    }

    public Problem? Text(string? value, string field, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Problem.BadRequest("{0} is required.", t[field]);
        }
        if (value.Length > max)
        {
            return Problem.BadRequest("{0} must be at most {1} characters.", t[field], max);
        }
        return value.Any(char.IsControl) ? Problem.BadRequest("{0} must not contain control characters.", t[field]) : null;
    }

    public Problem? Password(string? password) =>
        string.IsNullOrEmpty(password) ? Problem.BadRequest("Password is required.")
        : password.Length > AccountLimits.Password ? Problem.BadRequest("Password must be at most {0} characters.", AccountLimits.Password)
        : null;

    /// <summary>Identity's errors (weak password, duplicate e-mail) as one sentence.</summary>
    public Problem FromIdentity(IdentityResult result)
    {
        var duplicate = result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName");
        return duplicate
            ? Problem.Conflict("This e-mail address is already registered.")
            : Problem.BadRequest(string.Join(" ", result.Errors.Select(e => Describe(e))));
    }

    string Describe(IdentityError e) => e.Code switch
    {
        "PasswordTooShort" => t["Password must be at least {0} characters.", AccountsSetup.MinPasswordLength],
        "PasswordRequiresDigit" => t["Password must contain a digit."],
        "PasswordRequiresLower" => t["Password must contain a letter."],
        "PasswordRequiresUniqueChars" => t["Password must use more different characters."],
        "PasswordMismatch" => t["The current password is incorrect."],
        _ => e.Description,
    };

    static string Shorten(string value) => value.Length > 60 ? value[..60] + "…" : value;
}
