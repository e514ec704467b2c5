using Classcloud.Web.Accounts.External;
using Classcloud.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Classcloud.Web.Accounts;

public static class AccountsSetup
{
    public const int MinPasswordLength = 10;
    const string SmartScheme = "classcloud";

    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.User.AllowedUserNameCharacters = "";  // the e-mail is the user name; any character it may hold is fine
                o.SignIn.RequireConfirmedEmail = true;
                o.Password.RequiredLength = MinPasswordLength;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<ClasscloudDb>()
            .AddSignInManager<ClasscloudSignInManager>()
            .AddClaimsPrincipalFactory<ClasscloudClaimsFactory>()
            .AddDefaultTokenProviders();

        // One default scheme that picks a personal access token when a Bearer header is present, else the cookie.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? PersonalAccessTokenHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, PersonalAccessTokenHandler>(PersonalAccessTokenHandler.SchemeName, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "classcloud.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.LogoutPath = "/signout";
            o.AccessDeniedPath = "/denied";
            // The API answers 401/403; only pages redirect to the sign-in page.
            o.Events.OnRedirectToLogin = context => ApiOrRedirect(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => ApiOrRedirect(context, StatusCodes.Status403Forbidden);
        });
        // Checked on every request, so disabling an account or changing its role takes effect at once.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole("admin"))
            .AddPolicy(Policies.Educator, p => p.RequireAuthenticatedUser().RequireRole("educator", "admin").RequireClaim(ClaimNames.Status, "active"));

        services.AddScoped<AccountValidation>();
        services.AddScoped<AccountTokens>();
        services.AddScoped<AccountMails>();
        services.AddScoped<Links>();
        services.AddScoped<RegistrationService>();
        services.AddScoped<SignUpRules>();
        services.AddScoped<VerificationLinks>();
        services.AddScoped<EmailVerification>();
        services.AddScoped<SignInService>();
        services.AddScoped<RecoveryService>();
        services.AddScoped<ProfileService>();
        services.AddScoped<PasswordChange>();
        services.AddScoped<AccountDeletion>();
        services.AddScoped<AccessTokenService>();
        services.AddScoped<IDataSeeder, InitialAdministrator>();
        services.AddExternalSignIn();
        return builder;
    }

    public static WebApplication MapAccounts(this WebApplication app)
    {
        app.MapAccountApi();
        app.MapExternalSignIn();
        return app;
    }

    static Task ApiOrRedirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
