using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Classcloud.Web.Accounts.External;

/// <summary>
/// A provider configured by its issuer (Authority): ASP.NET Core's OpenID Connect handler reads the
/// discovery document, runs the code flow with PKCE, and accepts the id_token only when its
/// signature (the issuer's published keys), issuer, audience (our client id), lifetime and nonce
/// check out. What it says about the person then takes the same path as the OAuth providers'.
/// </summary>
internal sealed class ExternalOpenIdConnectOptions(ExternalProviders providers) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions o)
    {
        if (providers.Find(name) is not { Authority: { } authority } provider || provider.Scheme != name)
        {
            return;
        }
        o.Authority = authority;
        // Plain-http discovery only for an issuer on this machine; the validator refuses it elsewhere.
        o.RequireHttpsMetadata = !new Uri(authority).IsLoopback;
        o.ClientId = provider.Options.ClientId!;
        o.ClientSecret = provider.Options.ClientSecret!;
        o.ResponseType = OpenIdConnectResponseType.Code;
        // Back with a top-level GET (not the default form POST), which carries the Lax cookies below.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = provider.UsePkce;
        o.CallbackPath = provider.CallbackPath;
        o.SignInScheme = IdentityConstants.ExternalScheme;
        o.SaveTokens = false;
        // Claims keep their OpenID Connect names (sub, email, email_verified), which the field options name.
        o.MapInboundClaims = false;
        o.GetClaimsFromUserInfoEndpoint = true;
        foreach (var field in new[] { provider.Options.IdField, provider.Options.EmailField, provider.Options.EmailVerifiedField, provider.Options.NameField })
        {
            o.ClaimActions.MapUniqueJsonKey(field, field);
        }
        foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }
        o.Scope.Clear();
        foreach (var scope in provider.Scopes.Append("openid").Distinct(StringComparer.Ordinal))
        {
            o.Scope.Add(scope);
        }
        o.Events = new OpenIdConnectEvents
        {
            OnTicketReceived = context =>
            {
                OpenIdConnectClaims.AddProfile(context.Principal, provider);
                return Task.CompletedTask;
            },
            OnRemoteFailure = context => ExternalFailures.HandleAsync(context, provider),
        };
    }
}

/// <summary>The validated id_token's (and user-info answer's) claims, as the claims ExternalClaims.Read expects.</summary>
internal static class OpenIdConnectClaims
{
    public static void AddProfile(ClaimsPrincipal? principal, ExternalProvider provider)
    {
        if (principal?.Identity is not ClaimsIdentity identity)
        {
            return;
        }
        var o = provider.Options;
        // The handler has already refused an id_token without "sub"; a configured IdField falls back to it.
        var key = principal.FindFirstValue(o.IdField) ?? principal.FindFirstValue("sub")!;
        var email = principal.FindFirstValue(o.EmailField);
        var verified = string.Equals(principal.FindFirstValue(o.EmailVerifiedField), "true", StringComparison.OrdinalIgnoreCase);
        var name = principal.FindFirstValue(o.NameField) ?? principal.FindFirstValue("preferred_username");
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, key, ClaimValueTypes.String, provider.Name));
        if (!string.IsNullOrWhiteSpace(email))
        {
            identity.AddClaim(new Claim(ClaimTypes.Email, email.Trim(), ClaimValueTypes.String, provider.Name));
        }
        identity.AddClaim(new Claim(ExternalClaims.EmailVerified, verified && !string.IsNullOrWhiteSpace(email) ? "true" : "false", ClaimValueTypes.Boolean, provider.Name));
        if (!string.IsNullOrWhiteSpace(name))
        {
            identity.AddClaim(new Claim(ClaimTypes.Name, name.Trim(), ClaimValueTypes.String, provider.Name));
        }
    }
}
