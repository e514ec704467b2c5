using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Accounts.External;

/// <summary>
/// Social sign-in (issue 2) with ASP.NET Core's OAuth handler, or its OpenID Connect handler for a
/// provider configured by its issuer (issue 12), one scheme per configured provider.
/// The schemes are added through options rather than AddOAuth calls at build time: which providers
/// exist is configuration, and configuration is only complete once the host is built (a test host's
/// settings arrive then — dotnet/aspnetcore#37680).
/// </summary>
public static class ExternalSignInSetup
{
    public const string CallbackPage = "/signin/external/callback";

    public static IServiceCollection AddExternalSignIn(this IServiceCollection services)
    {
        services.AddOptions<ExternalSignInOptions>().Configure<IConfiguration>(ExternalSignInOptions.Bind).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ExternalSignInOptions>, ExternalSignInOptionsValidator>();
        services.AddSingleton<ExternalProviders>();
        services.AddSingleton<IConfigureOptions<AuthenticationOptions>, ExternalSchemes>();
        services.AddSingleton<IConfigureOptions<OAuthOptions>, ExternalOAuthOptions>();
        // What AddOAuth registers: data protection for the state, the backchannel HttpClient, defaults.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OAuthOptions>, OAuthPostConfigureOptions<OAuthOptions, OAuthHandler<OAuthOptions>>>());
        // And what AddOpenIdConnect registers: the discovery document's configuration manager, state and nonce protection.
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, ExternalOpenIdConnectOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.AddScoped<ExternalAccounts>();
        services.AddScoped<ExternalSignUpRules>();
        services.AddScoped<ExternalSignInService>();
        return services;
    }

    public static WebApplication MapExternalSignIn(this WebApplication app)
    {
        var routes = app.MapGroup("/signin/external").AllowAnonymous().RequireRateLimiting(ClasscloudDefaults.AuthRedirectRateLimit).ExcludeFromDescription();
        routes.MapGet("/{provider}", Challenge);
        // The provider's redirect back is answered by the OAuth handler in the authentication
        // middleware; this route only exists so the rate limit applies to it (and to answer 404
        // for a provider that is not configured).
        routes.MapGet("/{provider}/return", () => TypedResults.NotFound());
        return app;
    }

    static Results<ChallengeHttpResult, NotFound> Challenge(string provider, string? returnUrl, ExternalProviders providers, SignInManager<User> signIn)
    {
        if (providers.Find(provider) is not { } p)
        {
            return TypedResults.NotFound();
        }
        var redirect = $"{CallbackPage}?returnUrl={Uri.EscapeDataString(LocalUrl(returnUrl))}";
        var properties = signIn.ConfigureExternalAuthenticationProperties(p.Scheme, redirect);
        return TypedResults.Challenge(properties, [p.Scheme]);
    }

    /// <summary>A return address on this site only (no open redirect); "/" otherwise.</summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 and <= 2000 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) &&
        !url.StartsWith("/\\", StringComparison.Ordinal) && !url.Any(char.IsControl) ? url : "/";
}

/// <summary>One authentication scheme per configured provider, handled by the built-in OAuth or OpenID Connect handler.</summary>
internal sealed class ExternalSchemes(ExternalProviders providers) : IConfigureOptions<AuthenticationOptions>
{
    public void Configure(AuthenticationOptions options)
    {
        foreach (var provider in providers.All)
        {
            options.AddScheme(provider.Scheme, b =>
            {
                b.HandlerType = provider.IsOpenIdConnect ? typeof(OpenIdConnectHandler) : typeof(OAuthHandler<OAuthOptions>);
                b.DisplayName = provider.DisplayName;
            });
        }
    }
}

/// <summary>The OAuth handler's options for one provider: endpoints, client, scopes, and the profile mapping.</summary>
internal sealed class ExternalOAuthOptions(ExternalProviders providers) : IConfigureNamedOptions<OAuthOptions>
{
    public void Configure(OAuthOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OAuthOptions o)
    {
        if (providers.Find(name) is not { IsOpenIdConnect: false } provider || provider.Scheme != name)
        {
            return;
        }
        o.ClientId = provider.Options.ClientId!;
        o.ClientSecret = provider.Options.ClientSecret!;
        o.AuthorizationEndpoint = provider.AuthorizationEndpoint;
        o.TokenEndpoint = provider.TokenEndpoint;
        o.UserInformationEndpoint = provider.UserInformationEndpoint;
        o.CallbackPath = provider.CallbackPath;
        o.SignInScheme = IdentityConstants.ExternalScheme;
        o.UsePkce = provider.UsePkce;
        o.SaveTokens = false;
        // The provider sends the browser back with a top-level GET, which carries Lax cookies; Lax
        // (instead of the default None + always Secure) also works on a plain-http install.
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Scope.Clear();
        foreach (var scope in provider.Scopes)
        {
            o.Scope.Add(scope);
        }
        o.Events = new OAuthEvents
        {
            OnCreatingTicket = context => ExternalClaims.AddProfileAsync(context, provider),
            OnRemoteFailure = context => ExternalFailures.HandleAsync(context, provider),
        };
    }
}
