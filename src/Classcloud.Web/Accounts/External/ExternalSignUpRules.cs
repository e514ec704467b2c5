using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Identity;

namespace Classcloud.Web.Accounts.External;

/// <summary>What a provider's account must bring to sign up here: an e-mail address, valid, within the sign-up allow-list.</summary>
public sealed class ExternalSignUpRules(AccountValidation validate, SettingsService settings)
{
    /// <summary>Null when the address may sign up; else the problem for the person and the reason for the audit log.</summary>
    public async Task<(Problem Problem, string Reason)?> CheckAsync(ExternalProvider provider, string? email, CancellationToken ct)
    {
        if (email is null)
        {
            return (Problem.BadRequest("{0} did not share an e-mail address with Classcloud. Make one visible to Classcloud at {0}, or sign up with the form.", provider.DisplayName),
                $"{provider.Name}: no e-mail");
        }
        if (validate.Email(email) is { } invalid)
        {
            return (invalid, $"{provider.Name}: invalid e-mail");
        }
        var current = await settings.GetAsync(ct);
        if (!current.AllowsEmail(email))
        {
            return (Problem.Forbidden("Sign-up is limited to addresses at {0}.", string.Join(", ", current.DomainPatterns)), $"{provider.Name}: e-mail domain not allowed");
        }
        return null;
    }

    /// <summary>Identity's refusal (a taken name, a failed link) as a problem.</summary>
    public Problem FromIdentity(IdentityResult result) => validate.FromIdentity(result);
}
