using System.Security.Claims;
using Classcloud.Web.Admin;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.Identity;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts.External;

/// <summary>
/// The provider's profile travels from the OAuth handler to the callback page as claims in
/// Identity's short-lived external cookie.
/// </summary>
internal static class ExternalClaims
{
    public const string EmailVerified = "classcloud:email_verified";

    public static async Task AddProfileAsync(OAuthCreatingTicketContext context, ExternalProvider provider)
    {
        var ct = context.HttpContext.RequestAborted;
        var api = new ProviderApi(context.Backchannel, context.AccessToken ?? "");
        var user = await api.GetJsonAsync(provider.UserInformationEndpoint, ct)
            ?? throw new AuthenticationFailureException($"{provider.Name} refused the user information request.");
        var profile = await provider.Read(user, provider, api, ct)
            ?? throw new AuthenticationFailureException($"{provider.Name} did not say who signed in (no user id).");
        var identity = context.Identity!;
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, profile.Key, ClaimValueTypes.String, provider.Name));
        if (profile.Email is not null)
        {
            identity.AddClaim(new Claim(ClaimTypes.Email, profile.Email, ClaimValueTypes.String, provider.Name));
        }
        identity.AddClaim(new Claim(EmailVerified, profile.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean, provider.Name));
        if (!string.IsNullOrWhiteSpace(profile.Name))
        {
            identity.AddClaim(new Claim(ClaimTypes.Name, profile.Name, ClaimValueTypes.String, provider.Name));
        }
    }

    public static ExternalProfile Read(ExternalLoginInfo info) => new(
        info.ProviderKey,
        info.Principal.FindFirstValue(ClaimTypes.Email),
        info.Principal.FindFirstValue(EmailVerified) == "true",
        info.Principal.FindFirstValue(ClaimTypes.Name));
}

/// <summary>
/// A provider error, a cancelled consent, an expired or tampered state: audited, then a page that
/// says so (without this the handler would throw and the person would see a 500).
/// </summary>
internal static class ExternalFailures
{
    public static async Task HandleAsync(RemoteFailureContext context, ExternalProvider provider)
    {
        var http = context.HttpContext;
        var audit = http.RequestServices.GetRequiredService<AuditLog>();
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ExternalFailures))
            .LogWarning("External sign-in with {Provider} failed: {Error}", provider.Name, context.Failure?.Message);
        await audit.RecordAndSaveAsync(AuditActions.SignInFailure, provider.Name, $"{provider.Name}: {context.Failure?.Message}", null, null, http.RequestAborted);
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        context.Response.Redirect($"{ExternalSignInSetup.CallbackPage}?error=1");
        context.HandleResponse();
    }
}
